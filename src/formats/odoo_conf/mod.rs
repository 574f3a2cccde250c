//! Parser for odoo_conf files (in progress).
