//! Parser for zone files (in progress).
