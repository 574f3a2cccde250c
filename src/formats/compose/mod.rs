//! Parser for compose files (in progress).
