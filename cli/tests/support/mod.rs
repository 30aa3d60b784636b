pub mod cdp;
pub mod har;
pub mod scenarios;
pub mod servers;
