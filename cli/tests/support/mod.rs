pub mod cdp;
pub mod scenarios;
pub mod servers;
