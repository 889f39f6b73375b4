"""系列データの補助：NumPy で書いた単純な RNN の順伝播と、時系列の窓切り出し。

第 13 章で使います。TensorFlow は使いません。
"""

import numpy as np

from ._validation import finite_array, integer

__all__ = ["rnn_step", "rnn_forward", "make_windows"]


def rnn_step(x_t, h_prev, Wx, Wh, b):
    """単純な RNN の 1 時刻分 h_t = tanh(x_t Wx + h_prev Wh + b)。

    Parameters
    ----------
    x_t : array_like, shape (N, D)
        時刻 t の入力（N 個の系列をまとめて）。
    h_prev : array_like, shape (N, H)
        1 つ前の時刻の隠れ状態 h_{t-1}。
    Wx : array_like, shape (D, H)
        入力から隠れ状態への重み。
    Wh : array_like, shape (H, H)
        隠れ状態から隠れ状態への重み（再帰の重み）。
    b : array_like, shape (H,)
        バイアス。

    Returns
    -------
    ndarray, shape (N, H)
        新しい隠れ状態 h_t（値は -1 から 1 の間）。
    """
    x_t = finite_array(x_t, "x_t", ndim=2)
    h_prev = finite_array(h_prev, "h_prev", ndim=2)
    Wx, Wh, b = _check_weights(Wx, Wh, b)
    if x_t.shape[1] != Wx.shape[0]:
        raise ValueError(f"x_t の形 {x_t.shape} と Wx の形 {Wx.shape} が合いません（D が違います）")
    if h_prev.shape != (x_t.shape[0], Wh.shape[0]):
        raise ValueError(
            f"h_prev の形 {h_prev.shape} は (N, H) = {(x_t.shape[0], Wh.shape[0])} である必要があります"
        )
    return np.tanh(x_t @ Wx + h_prev @ Wh + b)


def _check_weights(Wx, Wh, b):
    Wx = finite_array(Wx, "Wx", ndim=2)
    Wh = finite_array(Wh, "Wh", ndim=2)
    b = finite_array(b, "b", ndim=1)
    H = Wx.shape[1]
    if Wh.shape != (H, H) or b.shape != (H,):
        raise ValueError(
            f"重みの形が合いません: Wx {Wx.shape}, Wh {Wh.shape}, b {b.shape}"
            f"（Wx が (D, H) なら Wh は ({H}, {H})、b は ({H},)）"
        )
    return Wx, Wh, b


def rnn_forward(x, Wx, Wh, b, h0=None):
    """単純な RNN を時刻 0 から T-1 まで順に計算し、すべての隠れ状態を返す。

    h_t = tanh(x_t Wx + h_{t-1} Wh + b)、h_{-1} = h0（省略すると 0）。
    Keras の ``SimpleRNN`` と同じ式です（kernel = Wx, recurrent_kernel = Wh, bias = b）。

    Parameters
    ----------
    x : array_like, shape (N, T, D)
        N 個の系列。各系列は長さ T、各時刻は D 個の値。
    Wx : array_like, shape (D, H)
    Wh : array_like, shape (H, H)
    b : array_like, shape (H,)
    h0 : array_like, shape (N, H), optional
        最初の隠れ状態。省略すると 0。

    Returns
    -------
    ndarray, shape (N, T, H)
        各時刻の隠れ状態。最後の時刻の状態は ``hs[:, -1]``。
    """
    x = finite_array(x, "x", ndim=3)
    Wx, Wh, b = _check_weights(Wx, Wh, b)
    N, T, D = x.shape
    H = Wx.shape[1]
    if D != Wx.shape[0]:
        raise ValueError(f"x の形 {x.shape} と Wx の形 {Wx.shape} が合いません（D が違います）")
    if h0 is None:
        h = np.zeros((N, H))
    else:
        h = finite_array(h0, "h0")
        if h.shape != (N, H):
            raise ValueError(f"h0 の形 {h.shape} は (N, H) = {(N, H)} である必要があります")
    hs = np.empty((N, T, H), dtype=np.result_type(x, Wx, float))
    for t in range(T):
        h = np.tanh(x[:, t] @ Wx + h @ Wh + b)
        hs[:, t] = h
    return hs


def make_windows(series, window, horizon=1):
    """1 本の時系列から「長さ window の窓 → horizon 先の値」の組を切り出す。

    i 番目の組は、入力 ``series[i : i + window]``、目標 ``series[i + window + horizon - 1]``。

    Parameters
    ----------
    series : array_like, shape (L,)
        時系列（NaN を含まないこと。欠測は先に補間などで扱う）。
    window : int
        窓の長さ（1 以上）。
    horizon : int
        何時刻先を予測するか（1 なら窓の直後）。

    Returns
    -------
    x : ndarray, shape (M, window, 1)
        入力の窓（RNN の形 (系列, 時刻, 特徴) に合わせて最後に長さ 1 の軸を付ける）。
    y : ndarray, shape (M,)
        目標の値。M = L - window - horizon + 1。
    """
    series = finite_array(series, "series", ndim=1, hint="欠測は先に補間などで扱ってください")
    window = integer("window", window, minimum=1)
    horizon = integer("horizon", horizon, minimum=1)
    M = len(series) - window - horizon + 1
    if M < 1:
        raise ValueError(
            f"series の長さ {len(series)} が短すぎます（window + horizon = {window + horizon} 以上が必要）"
        )
    idx = np.arange(M)[:, None] + np.arange(window)
    x = series[idx][..., None]
    y = series[np.arange(M) + window + horizon - 1]
    return x, y
