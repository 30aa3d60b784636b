pub mod cdp;
pub mod servers;
pub mod har;
