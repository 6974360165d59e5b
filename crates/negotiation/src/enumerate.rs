//! Power by brute force: every one of the `2^n` coalitions is tested. An independent check of
//! [`crate::power::exact_power`] (it shares only [`Game::wins_by`] with it), and the only exact
//! method for games with several weighted criteria.
//!
//! Coalitions are visited in Gray-code order so each step changes one member and updates the
//! criterion sums in O(1); wins are kept in a bitset of `2^n` bits (16 MiB at `n = 27`); then
//! each winning coalition credits a swing to every member whose departure makes it lose.
//! Time `O(n 2^n)`.

use crate::error::PowerError;
use crate::game::Game;
use crate::power::Power;

/// The most members enumeration accepts (`2^27` coalitions).
pub const MAX_ENUMERATION_MEMBERS: usize = 27;

/// Shapley-Shubik and Banzhaf power by testing every coalition.
pub fn enumerate_power(game: &Game) -> Result<Power, PowerError> {
    let n = game.len();
    if n > MAX_ENUMERATION_MEMBERS {
        return Err(PowerError::TooManyToEnumerate {
            members: n,
            limit: MAX_ENUMERATION_MEMBERS,
        });
    }
    let crits = game.criteria();
    let count: usize = 1 << n;
    let mut wins = vec![0u64; count.div_ceil(64)];
    let mut sums = vec![0u64; crits.len()];
    let mut mask: usize = 0;
    let mut size = 0usize;
    if game.wins_by(0, &sums) {
        wins[0] |= 1;
    }
    for step in 1..count {
        let bit = step.trailing_zeros() as usize;
        mask ^= 1 << bit;
        let joined = mask & (1 << bit) != 0;
        for (s, c) in sums.iter_mut().zip(crits) {
            if joined {
                *s += c.weights[bit];
            } else {
                *s -= c.weights[bit];
            }
        }
        if joined {
            size += 1;
        } else {
            size -= 1;
        }
        if game.wins_by(size, &sums) {
            wins[mask / 64] |= 1 << (mask % 64);
        }
    }
    let won = |m: usize| wins[m / 64] >> (m % 64) & 1 == 1;
    let mut swings = vec![vec![0u64; n]; n];
    for m in 0..count {
        if !won(m) {
            continue;
        }
        let k = m.count_ones() as usize;
        let mut rest = m;
        while rest != 0 {
            let i = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            if !won(m ^ (1 << i)) {
                swings[i][k - 1] += 1;
            }
        }
    }
    Ok(Power::from_enumeration(game, swings))
}
