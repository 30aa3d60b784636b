pub mod cdp;
pub mod har;
pub mod servers;
