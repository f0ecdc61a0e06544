"""Decoding a monotone chain of sections: Viterbi and forward-backward, in log space.

States (sections) never decrease along the lines; a line may start a new state at a
per-line log-weight (or a constant penalty).  Both passes are vectorized over lines,
one state at a time.
"""

from __future__ import annotations

import numpy as np

__all__ = ["viterbi", "marginals"]


def _switch_costs(n: int, switch: float | np.ndarray, stay: np.ndarray | None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Per-line log-weights of moving up / staying; a float is a constant penalty."""
    if np.isscalar(switch):
        return np.full(n, -float(switch)), np.zeros(n)
    move = np.asarray(switch, dtype=float)
    return move, (np.zeros(n) if stay is None else np.asarray(stay, dtype=float))


def viterbi(emit: np.ndarray, switch: float | np.ndarray, stay: np.ndarray | None = None) -> list[int]:
    """Best monotone state path: states never decrease.

    ``switch`` is the penalty of a step up (a float) or, per line, the log-weight of
    starting a new section at that line (``stay`` the log-weight of not doing so).
    The path starts from state 0 before the first line.  Vectorized over lines, one
    state at a time (:func:`_state_runs`): linear in lines, no per-line Python.

    >>> e = np.log(np.array([[.9, .1], [.1, .9], [.6, .4], [.1, .9]]))
    >>> viterbi(e, 1.0)   # the lone 0-ish line at t=2 cannot flip back
    [0, 1, 1, 1]
    """
    n, k = emit.shape
    if n == 0:
        return []
    move, stay = _switch_costs(n, switch, stay)
    last, entering, came_from = _state_runs(_finite(emit), move, stay)
    path = np.empty(n, dtype=np.int64)
    t, j = n - 1, int(np.argmax(last))  # ties: the lowest state
    while True:  # walk back run by run: at most one per state
        # the best path in j at t entered j where entering it scored best up to t (ties:
        # the earliest, as it stays)
        start = int(np.argmax(entering[j, :t + 1]))
        path[start:t + 1] = j
        if start == 0:
            return path.tolist()
        t, j = start - 1, int(came_from[j, start])


def _finite(emit: np.ndarray) -> np.ndarray:
    """Emissions with log 0 raised to -1e4 (e^-10000 is 0 in float64 too): the running
    sums of the vectorized passes must not meet -inf - -inf."""
    return emit if np.isfinite(emit).all() else np.maximum(emit, -1e4)


def _state_runs(emit: np.ndarray, move: np.ndarray, stay: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Max-plus forward pass of :func:`viterbi`, one state ``j`` at a time over all lines.

    A path in ``j`` at line t entered ``j`` at some line u <= t and stayed, so
    best[t, j] = L[t] + max_{u<=t} z[u], with L the running sum of E[·, j] + stay and
    z[u] the score of entering at u (from the best lower state at u - 1) minus L[u]: a
    running maximum.  Returns the best scores at the last line, per state the z of
    every line (where the best path in ``j`` at t entered it is the first maximum of z
    up to t: the walk back reads it for the few runs of its path, no pass finds it for
    every line), and the lower state it came from when entering at t.
    """
    n, k = emit.shape
    last = np.empty(k)
    entering = np.empty((k, n))
    came_from = np.zeros((k, n), dtype=np.int64)
    below, below_state = np.full(n, -np.inf), np.zeros(n, dtype=np.int64)  # best lower state per line
    runs = _running_sums(emit[1:] + stay[1:, None])
    firsts = _first_entries(emit, move, stay)
    for j in range(k):
        run = runs[:, j]
        z = entering[j]
        z[0] = firsts[j]
        _entering(z[1:], below[:-1], move[1:], emit[1:, j], run[1:])
        best = np.maximum.accumulate(z)
        best += run
        last[j] = best[-1]
        came_from[j, 1:] = below_state[:-1]
        if j + 1 < k:  # the states above j enter from the best of those up to j
            higher = best > below  # strictly: of equal scores the lowest state stays
            below = np.where(higher, best, below)
            below_state = np.where(higher, j, below_state)
    return last, entering, came_from


def _first_entries(emit: np.ndarray, move: np.ndarray, stay: np.ndarray) -> list[float]:
    """Per state, the score of being in it at the first line (staying in the first state,
    or entering another), as Python floats: one list, no numpy scalar per state."""
    stay0, move0 = float(stay[0]), float(move[0])
    return [(stay0 if j == 0 else move0) + e for j, e in enumerate(emit[0].tolist())]


def _entering(out: np.ndarray, below: np.ndarray, move: np.ndarray, emit: np.ndarray, run: np.ndarray) -> None:
    """``out`` = below + move + emit - run, in that order, with no array in between."""
    np.add(below, move, out=out)
    out += emit
    out -= run


def _running_sums(gain: np.ndarray) -> np.ndarray:
    """0, then the running sums of ``gain`` down its lines, for every state (column) in
    one call rather than one per state: each column still sums line by line, as alone."""
    run = np.empty((len(gain) + 1, gain.shape[1]))
    run[0] = 0.0
    np.cumsum(gain, axis=0, out=run[1:])
    return run


def marginals(emit: np.ndarray, switch: float | np.ndarray, stay: np.ndarray | None = None) -> np.ndarray:
    """Posterior state probabilities per line under the same monotone chain.

    Forward-backward in log space, vectorized over lines one state at a time: for a
    fixed state each pass is a first-order linear recurrence (stay in the state, or
    enter it from the mass of the states below / above), solved with running sums and
    ``np.logaddexp.accumulate``.  Nothing underflows, however long the document.
    """
    n, k = emit.shape
    if n == 0:
        return np.zeros((0, k))
    move, stay = _switch_costs(n, switch, stay)
    emit = _finite(emit)
    post = _log_forward(emit, move, stay) + _log_backward(emit, move, stay)
    post = np.exp(post - post.max(axis=1, keepdims=True))
    return post / post.sum(axis=1, keepdims=True)


def _log_forward(emit: np.ndarray, move: np.ndarray, stay: np.ndarray) -> np.ndarray:
    """log alpha[t, j]: alpha_t = E_t (S_t alpha_{t-1} + M_t below_{t-1}), below = the
    mass of the states under j; solved per state as alpha_t = P_t (alpha_0 + Σ d_u / P_u)."""
    n, k = emit.shape
    alpha = np.empty((n, k))
    below = np.full(n, -np.inf)
    runs = _running_sums(emit[1:] + stay[1:, None])
    firsts = _first_entries(emit, move, stay)
    z = np.empty(n)
    for j in range(k):
        run = runs[:, j]
        z[0] = firsts[j]
        _entering(z[1:], below[:-1], move[1:], emit[1:, j], run[1:])
        column = np.logaddexp.accumulate(z)
        column += run
        alpha[:, j] = column
        if j + 1 < k:  # the mass the states above j enter from
            below = np.logaddexp(below, column)
    return alpha


def _log_backward(emit: np.ndarray, move: np.ndarray, stay: np.ndarray) -> np.ndarray:
    """log beta[t, j]: beta_t = S_{t+1} E_{t+1} beta_{t+1} + M_{t+1} above_{t+1}, above =
    the mass E·beta of the states over j; the forward recurrence run backwards."""
    n, k = emit.shape
    beta = np.empty((n, k))
    above = np.full(n, -np.inf)
    runs = _running_sums((emit[1:] + stay[1:, None])[::-1])
    z, leave = np.zeros(n), np.empty(n - 1)
    for j in range(k - 1, -1, -1):
        run = runs[:, j]
        np.add(move[1:], above[1:], out=leave)
        np.subtract(leave[::-1], run[1:], out=z[1:])
        column = np.logaddexp.accumulate(z)
        column += run
        beta[:, j] = column[::-1]
        if j > 0:  # the mass the states below j leave to
            above = np.logaddexp(above, emit[:, j] + beta[:, j])
    return beta
