//! Shared test support: paths to the vendor vectors, emulator endpoints, the scenario table.
