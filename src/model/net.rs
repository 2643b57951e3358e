//! IPv4 prefixes.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cidr {
    pub addr: u32,
    pub len: u8,
}

impl Cidr {
    pub const ANY: Cidr = Cidr { addr: 0, len: 0 };

    pub fn new(addr: u32, len: u8) -> Cidr {
        let len = len.min(32);
        Cidr {
            addr: addr & Cidr::mask(len),
            len,
        }
    }

    fn mask(len: u8) -> u32 {
        if len == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(len))
        }
    }

    pub fn first(&self) -> u32 {
        self.addr
    }

    pub fn last(&self) -> u32 {
        self.addr | !Cidr::mask(self.len)
    }

    pub fn contains(&self, ip: u32) -> bool {
        ip & Cidr::mask(self.len) == self.addr
    }

    pub fn covers(&self, other: &Cidr) -> bool {
        other.len >= self.len && self.contains(other.addr)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CidrError(pub String);

impl FromStr for Cidr {
    type Err = CidrError;
    fn from_str(s: &str) -> Result<Cidr, CidrError> {
        let (ip, len) = s
            .trim()
            .split_once('/')
            .ok_or_else(|| CidrError(s.into()))?;
        let len: u8 = len.parse().map_err(|_| CidrError(s.into()))?;
        if len > 32 {
            return Err(CidrError(s.into()));
        }
        let ip = parse_ip(ip).ok_or_else(|| CidrError(s.into()))?;
        Ok(Cidr::new(ip, len))
    }
}

pub fn parse_ip(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut v = 0u32;
    for p in parts {
        let b: u8 = p.parse().ok()?;
        v = (v << 8) | u32::from(b);
    }
    Some(v)
}

pub fn fmt_ip(ip: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        ip >> 24,
        (ip >> 16) & 255,
        (ip >> 8) & 255,
        ip & 255
    )
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", fmt_ip(self.addr), self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_contain() {
        let c: Cidr = "10.0.2.0/24".parse().unwrap();
        assert!(c.contains(parse_ip("10.0.2.77").unwrap()));
        assert!(!c.contains(parse_ip("10.0.3.1").unwrap()));
        let v: Cidr = "10.0.0.0/16".parse().unwrap();
        assert!(v.covers(&c));
        assert_eq!(c.last(), parse_ip("10.0.2.255").unwrap());
        assert_eq!("0.0.0.0/0".parse::<Cidr>().unwrap(), Cidr::ANY);
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("mock-cidr-0".parse::<Cidr>().is_err());
        assert_eq!(
            Cidr::new(parse_ip("10.1.2.3").unwrap(), 8).to_string(),
            "10.0.0.0/8"
        );
    }
}
