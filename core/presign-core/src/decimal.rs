//! Decimal formatting without allocation.

/// The decimal digits of `n`, written at the end of `buf` (20 bytes hold any `u64`) and
/// returned as a string slice of it.
///
/// ```
/// use presign_core::decimal::u64_digits;
/// let mut buf = [0u8; 20];
/// assert_eq!(u64_digits(0, &mut buf), "0");
/// assert_eq!(u64_digits(604_800, &mut buf), "604800");
/// assert_eq!(u64_digits(u64::MAX, &mut buf), u64::MAX.to_string());
/// ```
pub fn u64_digits(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(d) = buf.get_mut(i) {
            *d = b'0' + u8::try_from(n % 10).unwrap_or(0);
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    std::str::from_utf8(buf.get(i..).unwrap_or_default()).unwrap_or_default()
}
