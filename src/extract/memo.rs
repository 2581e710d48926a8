//! The last few results of a pure function of a sentence, kept per thread:
//! the stages of the reading ask for the same sentence's dates and actors
//! several times in a row (to choose a trigger, to build each of its
//! incidents, to split a list), and each answer costs a pass of many
//! patterns.

use std::cell::RefCell;
use std::thread::LocalKey;

/// How many recent answers a memo holds.
const KEPT: usize = 4;

/// A per-thread memo: recent (key, answer) pairs, newest last.
pub(crate) type Memo<K, V> = LocalKey<RefCell<Vec<(K, V)>>>;

/// The answer for the key `is_key` accepts, from `memo` when asked for
/// lately, else computed by `compute` and kept under `make_key()`. Keys are
/// compared whole, so a hit is always the answer `compute` would give.
pub(crate) fn remembered<K, V: Clone>(
    memo: &'static Memo<K, V>,
    is_key: impl Fn(&K) -> bool,
    make_key: impl FnOnce() -> K,
    compute: impl FnOnce() -> V,
) -> V {
    let hit = memo.with(|m| {
        m.borrow()
            .iter()
            .find(|(k, _)| is_key(k))
            .map(|(_, v)| v.clone())
    });
    if let Some(v) = hit {
        return v;
    }
    let v = compute();
    memo.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= KEPT {
            m.remove(0);
        }
        m.push((make_key(), v.clone()));
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        static SQUARES: RefCell<Vec<(String, usize)>> = const { RefCell::new(Vec::new()) };
    }

    #[test]
    fn answers_as_computed_and_computes_once_while_recent() {
        let calls = Cell::new(0);
        let len = |s: &str| {
            calls.set(calls.get() + 1);
            s.len() * s.len()
        };
        let ask = |w: &str| remembered(&SQUARES, |k| k == w, || w.to_string(), || len(w));
        assert_eq!(ask("abc"), 9);
        assert_eq!(ask("abc"), 9);
        assert_eq!(calls.get(), 1);
        // Same length, other text: a key is compared whole.
        assert_eq!(ask("xyz"), 9);
        assert_eq!(calls.get(), 2);
        for w in ["a", "bb", "ccc", "dddd"] {
            ask(w);
        }
        // "abc" has left the memo and is computed again.
        assert_eq!(ask("abc"), 9);
        assert_eq!(calls.get(), 7);
    }
}
