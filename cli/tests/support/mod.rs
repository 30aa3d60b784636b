pub mod cdp;
pub mod servers;
