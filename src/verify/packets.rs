//! Packet-set algebra: exact sets of IPv4 packet headers over the fields
//! that matter (protocol, source and destination address, source and
//! destination port), as unions of disjoint boxes.

/// Field order in a [`Cube`].
pub const PROTO: usize = 0;
pub const SRC: usize = 1;
pub const DST: usize = 2;
pub const SPORT: usize = 3;
pub const DPORT: usize = 4;

const FULL: [(u32, u32); 5] = [
    (0, 255),
    (0, u32::MAX),
    (0, u32::MAX),
    (0, 65535),
    (0, 65535),
];

/// A box: one inclusive interval per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cube(pub [(u32, u32); 5]);

impl Cube {
    pub fn full() -> Cube {
        Cube(FULL)
    }

    /// Narrows one field.
    pub fn with(mut self, field: usize, lo: u32, hi: u32) -> Cube {
        self.0[field] = (lo, hi);
        self
    }

    pub fn intersect(&self, o: &Cube) -> Option<Cube> {
        let mut r = [(0, 0); 5];
        for (i, slot) in r.iter_mut().enumerate() {
            let lo = self.0[i].0.max(o.0[i].0);
            let hi = self.0[i].1.min(o.0[i].1);
            if lo > hi {
                return None;
            }
            *slot = (lo, hi);
        }
        Some(Cube(r))
    }

    /// self minus o, as disjoint boxes.
    pub fn subtract(&self, o: &Cube) -> Vec<Cube> {
        let mut out = Vec::new();
        self.subtract_into(o, &mut out);
        out
    }

    /// self minus o, appended to `out` (no allocation of its own).
    pub fn subtract_into(&self, o: &Cube, out: &mut Vec<Cube>) {
        let Some(inter) = self.intersect(o) else {
            out.push(*self);
            return;
        };
        let mut rest = *self;
        for i in 0..5 {
            let (lo, hi) = rest.0[i];
            let (ilo, ihi) = inter.0[i];
            if lo < ilo {
                out.push(rest.with(i, lo, ilo - 1));
            }
            if ihi < hi {
                out.push(rest.with(i, ihi + 1, hi));
            }
            rest = rest.with(i, ilo, ihi);
        }
    }

    /// Swaps source and destination (address and port): the reply.
    pub fn reversed(&self) -> Cube {
        let f = self.0;
        Cube([f[PROTO], f[DST], f[SRC], f[DPORT], f[SPORT]])
    }

    pub fn sample(&self) -> [u32; 5] {
        [
            self.0[0].0,
            self.0[1].0,
            self.0[2].0,
            self.0[3].0,
            self.0[4].0,
        ]
    }

    pub fn contains(&self, p: &[u32; 5]) -> bool {
        (0..5).all(|i| self.0[i].0 <= p[i] && p[i] <= self.0[i].1)
    }
}

/// A set of packets: disjoint boxes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PacketSet {
    cubes: Vec<Cube>,
}

impl PacketSet {
    pub fn empty() -> PacketSet {
        PacketSet { cubes: Vec::new() }
    }

    pub fn of(c: Cube) -> PacketSet {
        PacketSet { cubes: vec![c] }
    }

    pub fn is_empty(&self) -> bool {
        self.cubes.is_empty()
    }

    pub fn cubes(&self) -> &[Cube] {
        &self.cubes
    }

    pub fn union(&self, o: &PacketSet) -> PacketSet {
        if self.cubes.is_empty() {
            return o.clone();
        }
        let mut out = self.clone();
        let mut pieces = Vec::new();
        let mut next = Vec::new();
        for c in &o.cubes {
            pieces.clear();
            pieces.push(*c);
            for e in &self.cubes {
                next.clear();
                for p in &pieces {
                    p.subtract_into(e, &mut next);
                }
                std::mem::swap(&mut pieces, &mut next);
                if pieces.is_empty() {
                    break;
                }
            }
            out.cubes.extend_from_slice(&pieces);
        }
        out
    }

    pub fn intersect(&self, o: &PacketSet) -> PacketSet {
        let mut out = Vec::new();
        for a in &self.cubes {
            for b in &o.cubes {
                if let Some(c) = a.intersect(b) {
                    out.push(c);
                }
            }
        }
        PacketSet { cubes: out }
    }

    pub fn subtract(&self, o: &PacketSet) -> PacketSet {
        let mut cur = self.cubes.clone();
        let mut next = Vec::with_capacity(cur.len());
        for b in &o.cubes {
            if cur.is_empty() {
                break;
            }
            next.clear();
            for a in &cur {
                a.subtract_into(b, &mut next);
            }
            std::mem::swap(&mut cur, &mut next);
        }
        PacketSet { cubes: cur }
    }

    /// self ⊆ o
    pub fn subset_of(&self, o: &PacketSet) -> bool {
        self.subtract(o).is_empty()
    }

    pub fn reversed(&self) -> PacketSet {
        PacketSet {
            cubes: self.cubes.iter().map(Cube::reversed).collect(),
        }
    }

    /// One concrete packet of the set.
    pub fn sample(&self) -> Option<[u32; 5]> {
        self.cubes.first().map(Cube::sample)
    }

    pub fn contains(&self, p: &[u32; 5]) -> bool {
        self.cubes.iter().any(|c| c.contains(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn small_cube() -> impl Strategy<Value = Cube> {
        let iv = (0u32..8, 0u32..8).prop_map(|(a, b)| (a.min(b), a.max(b)));
        proptest::array::uniform5(iv).prop_map(Cube)
    }

    proptest! {
        #[test]
        fn set_ops_agree_with_membership(a in proptest::collection::vec(small_cube(), 0..4),
                                         b in proptest::collection::vec(small_cube(), 0..4),
                                         p in proptest::array::uniform5(0u32..8)) {
            let sa = a.iter().fold(PacketSet::empty(), |s, c| s.union(&PacketSet::of(*c)));
            let sb = b.iter().fold(PacketSet::empty(), |s, c| s.union(&PacketSet::of(*c)));
            let in_a = a.iter().any(|c| c.contains(&p));
            let in_b = b.iter().any(|c| c.contains(&p));
            prop_assert_eq!(sa.contains(&p), in_a);
            prop_assert_eq!(sa.union(&sb).contains(&p), in_a || in_b);
            prop_assert_eq!(sa.intersect(&sb).contains(&p), in_a && in_b);
            prop_assert_eq!(sa.subtract(&sb).contains(&p), in_a && !in_b);
        }
    }

    #[test]
    fn reversal_swaps_fields() {
        let c = Cube::full()
            .with(SRC, 1, 1)
            .with(DST, 2, 2)
            .with(SPORT, 3, 3)
            .with(DPORT, 4, 4);
        let r = c.reversed();
        assert_eq!(r.0[SRC], (2, 2));
        assert_eq!(r.0[DPORT], (3, 3));
    }
}
