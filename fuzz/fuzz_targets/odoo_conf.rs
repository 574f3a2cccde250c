#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Filled in with the odoo_conf parser.
    let _ = data;
});
