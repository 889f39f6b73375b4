"""畳み込みを 1 つの行列の積にする im2col と、その転置 col2im（第 10 章）。

配列の並びは『ゼロから作る Deep Learning』（斎藤 2016）の 7 章と同じです。

- 入力 x : shape (N, C, H, W)（枚数・チャンネル・高さ・幅）
- フィルタ W : shape (FN, C, FH, FW)（フィルタの枚数・チャンネル・高さ・幅）
- ``im2col`` の出力 col : shape (N × OH × OW, C × FH × FW)。行は「どの画像の、出力のどの位置か」
  （n, i, j の順）、列は「窓の中のどの値か」（c, p, q の順）。

``W.reshape(FN, -1)`` の列も (c, p, q) の順なので、畳み込みは ``col @ W.reshape(FN, -1).T`` の
1 回の行列の積になります。``col2im`` は ``im2col`` の転置（随伴）で、同じ位置に戻る値を足し合わせます：
すべての x と y について ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩。
"""

import numpy as np

from ._validation import finite_array, integer

__all__ = ["conv_output_size", "im2col", "col2im"]


def conv_output_size(input_size, filter_size, stride=1, pad=0):
    """畳み込み（とプーリング）の出力の大きさ (input_size + 2 pad - filter_size) // stride + 1。

    Parameters
    ----------
    input_size : int
        入力の高さか幅（1 以上）。
    filter_size : int
        フィルタ（窓）の高さか幅（1 以上、パディングした入力以下）。
    stride : int
        窓をずらす幅（1 以上）。
    pad : int
        入力の両側に足す幅（0 以上）。

    Returns
    -------
    int
    """
    input_size = integer("input_size", input_size, minimum=1)
    filter_size = integer("filter_size", filter_size, minimum=1)
    stride = integer("stride", stride, minimum=1)
    pad = integer("pad", pad, minimum=0)
    if filter_size > input_size + 2 * pad:
        raise ValueError(
            f"filter_size {filter_size} がパディングした入力の大きさ "
            f"{input_size} + 2 × {pad} = {input_size + 2 * pad} より大きいので、窓を置けません"
        )
    return (input_size + 2 * pad - filter_size) // stride + 1


def _window(filter_h, filter_w, stride, pad):
    return (
        integer("filter_h", filter_h, minimum=1),
        integer("filter_w", filter_w, minimum=1),
        integer("stride", stride, minimum=1),
        integer("pad", pad, minimum=0),
    )


def _out_size(H, W, filter_h, filter_w, stride, pad, name):
    """出力の高さと幅。窓が入らなければ、形を名指しした ValueError。"""
    if filter_h > H + 2 * pad or filter_w > W + 2 * pad:
        raise ValueError(
            f"窓 {filter_h}×{filter_w} が、パディング {pad} を足した {name} の高さと幅 "
            f"{H + 2 * pad}×{W + 2 * pad} より大きいです"
        )
    return (H + 2 * pad - filter_h) // stride + 1, (W + 2 * pad - filter_w) // stride + 1


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    """窓（filter_h × filter_w）の中身を 1 行ずつに並べ直す。

    Parameters
    ----------
    input_data : ndarray, shape (N, C, H, W)
    filter_h, filter_w : int
        窓の高さと幅。
    stride : int
        窓をずらす幅。
    pad : int
        入力の上下左右に 0 を足す幅。

    Returns
    -------
    col : ndarray, shape (N * OH * OW, C * filter_h * filter_w)
        OH・OW は出力の高さと幅（:func:`conv_output_size`）。行の順は (n, i, j)、列の順は (c, p, q)：
        ``col[(n * OH + i) * OW + j, (c * filter_h + p) * filter_w + q]`` は、パディングした入力の
        ``[n, c, i * stride + p, j * stride + q]``。
    """
    x = finite_array(input_data, "input_data", ndim=4)
    filter_h, filter_w, stride, pad = _window(filter_h, filter_w, stride, pad)
    N, C, H, W = x.shape
    out_h, out_w = _out_size(H, W, filter_h, filter_w, stride, pad, "input_data")

    img = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)], mode="constant")
    col = np.empty((N, C, filter_h, filter_w, out_h, out_w), dtype=img.dtype)
    for p in range(filter_h):  # 窓の中の行 p・列 q の値を、すべての位置について一度に取り出す
        p_max = p + stride * out_h
        for q in range(filter_w):
            q_max = q + stride * out_w
            col[:, :, p, q, :, :] = img[:, :, p:p_max:stride, q:q_max:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * out_h * out_w, -1)


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    """:func:`im2col` の転置：各行の値を、その窓の位置に戻して足し合わせる。

    窓が重なる位置（stride < filter のとき）には、重なった数だけの値が足されます。
    そのため ``col2im(im2col(x))`` は x そのものではなく、各画素に「その画素を含む窓の数」を
    掛けたものになります。逆伝播で ``dcol`` から ``dx`` を求めるのに使います。

    Parameters
    ----------
    col : ndarray, shape (N * OH * OW, C * filter_h * filter_w)
    input_shape : tuple of int
        元の入力の形 (N, C, H, W)。
    filter_h, filter_w, stride, pad : int
        :func:`im2col` と同じ。

    Returns
    -------
    ndarray, shape (N, C, H, W)
    """
    col = finite_array(col, "col", ndim=2)
    shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else None
    if shape is None or len(shape) != 4:
        raise TypeError(f"input_shape は 4 つの整数の組 (N, C, H, W) です（{input_shape!r}）")
    N, C, H, W = (integer(f"input_shape[{i}]", s, minimum=1) for i, s in enumerate(shape))
    filter_h, filter_w, stride, pad = _window(filter_h, filter_w, stride, pad)
    out_h, out_w = _out_size(H, W, filter_h, filter_w, stride, pad, "input_shape")
    want = (N * out_h * out_w, C * filter_h * filter_w)
    if col.shape != want:
        raise ValueError(
            f"col の形 {col.shape} が input_shape {(N, C, H, W)} と窓 {filter_h}×{filter_w}"
            f"（stride={stride}, pad={pad}）の im2col の形 {want} と違います"
        )

    col = col.reshape(N, out_h, out_w, C, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1), dtype=col.dtype)
    for p in range(filter_h):
        p_max = p + stride * out_h
        for q in range(filter_w):
            q_max = q + stride * out_w
            img[:, :, p:p_max:stride, q:q_max:stride] += col[:, :, p, q, :, :]
    return img[:, :, pad : H + pad, pad : W + pad]
