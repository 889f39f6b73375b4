"""im2col・col2im・conv_output_size（第 10 章）：小さな入力での値、転置（随伴）であること、悪い入力。"""

import numpy as np
import pytest

from nnbook.im2col import col2im, conv_output_size, im2col

RNG = np.random.default_rng(0)


def _loop_im2col(x, fh, fw, stride, pad):
    """定義どおりのループ：行 (n, i, j)、列 (c, p, q)。"""
    N, C, H, W = x.shape
    xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    oh, ow = (H + 2 * pad - fh) // stride + 1, (W + 2 * pad - fw) // stride + 1
    rows = []
    for n in range(N):
        for i in range(oh):
            for j in range(ow):
                window = xp[n, :, i * stride : i * stride + fh, j * stride : j * stride + fw]
                rows.append(window.ravel())
    return np.array(rows)


def test_im2col_of_a_3x3_image_with_a_2x2_window():
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)  # [[1 2 3] [4 5 6] [7 8 9]]
    expected = [[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]]
    np.testing.assert_array_equal(im2col(x, 2, 2), expected)


def test_im2col_with_padding_and_stride():
    x = np.arange(1.0, 5.0).reshape(1, 1, 2, 2)  # [[1 2] [3 4]]、パディング 1 で 4×4
    col = im2col(x, 2, 2, stride=2, pad=1)
    np.testing.assert_array_equal(col, [[0, 0, 0, 1], [0, 0, 2, 0], [0, 3, 0, 0], [4, 0, 0, 0]])


def test_im2col_columns_are_channel_then_row_then_column():
    x = np.stack([np.full((2, 2), 1.0), np.full((2, 2), 2.0)])[None]  # 2 チャンネル
    np.testing.assert_array_equal(im2col(x, 1, 2), [[1, 1, 2, 2], [1, 1, 2, 2]])


@pytest.mark.parametrize(
    ("shape", "window", "stride", "pad"),
    [
        ((2, 3, 5, 6), (3, 2), 1, 0),
        ((2, 3, 5, 6), (3, 3), 2, 1),
        ((1, 2, 7, 7), (3, 3), 3, 2),
        ((3, 1, 4, 4), (4, 4), 1, 0),
        ((1, 1, 3, 3), (1, 1), 1, 0),
    ],
)
def test_im2col_matches_the_loop_definition(shape, window, stride, pad):
    x = RNG.normal(size=shape)
    np.testing.assert_array_equal(
        im2col(x, *window, stride, pad), _loop_im2col(x, *window, stride, pad)
    )


@pytest.mark.parametrize(
    ("shape", "window", "stride", "pad"),
    [
        ((2, 3, 5, 6), (3, 2), 1, 0),
        ((2, 3, 5, 6), (3, 3), 2, 1),
        ((1, 2, 7, 7), (3, 3), 3, 2),
        ((2, 2, 6, 6), (2, 2), 2, 0),
        ((1, 1, 5, 5), (3, 3), 1, 1),
    ],
)
def test_col2im_is_the_adjoint_of_im2col(shape, window, stride, pad):
    """⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩（col2im は im2col の転置）。"""
    x = RNG.normal(size=shape)
    col = im2col(x, *window, stride, pad)
    y = RNG.normal(size=col.shape)
    lhs = np.sum(col * y)
    rhs = np.sum(x * col2im(y, shape, *window, stride, pad))
    assert abs(lhs - rhs) < 1e-10 * (1 + abs(lhs))


def test_col2im_of_im2col_counts_the_windows_covering_each_pixel():
    x = np.ones((1, 1, 3, 3))
    back = col2im(im2col(x, 2, 2), x.shape, 2, 2)
    np.testing.assert_array_equal(back[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


def test_col2im_inverts_im2col_when_windows_do_not_overlap():
    x = RNG.normal(size=(2, 3, 4, 6))
    np.testing.assert_allclose(col2im(im2col(x, 2, 2, stride=2), x.shape, 2, 2, stride=2), x)


@pytest.mark.parametrize(
    ("args", "expected"),
    [((8, 3, 1, 1), 8), ((8, 3), 6), ((28, 5, 1, 0), 24), ((7, 3, 2, 1), 4), ((8, 2, 2, 0), 4)],
)
def test_conv_output_size(args, expected):
    assert conv_output_size(*args) == expected
    assert conv_output_size(*map(np.int64, args)) == expected


def test_output_size_agrees_with_im2col_rows():
    x = RNG.normal(size=(1, 1, 7, 9))
    col = im2col(x, 3, 2, stride=2, pad=1)
    assert col.shape[0] == conv_output_size(7, 3, 2, 1) * conv_output_size(9, 2, 2, 1)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: im2col(np.ones((3, 3)), 2, 2), ValueError, "input_data は 4 次元"),
        (lambda: im2col(np.ones((1, 1, 3, 3)), 4, 2), ValueError, "窓 4×2"),
        (lambda: im2col(np.ones((1, 1, 3, 3)), 2, 2, stride=0), ValueError, "stride"),
        (lambda: im2col(np.ones((1, 1, 3, 3)), 2.0, 2), TypeError, "filter_h"),
        (lambda: im2col(np.ones((1, 1, 3, 3)), 2, 2, pad=-1), ValueError, "pad"),
        (
            lambda: im2col(np.full((1, 1, 2, 2), np.nan), 1, 1),
            ValueError,
            r"input_data\[0, 0, 0, 0\]",
        ),
        (lambda: im2col("abc", 1, 1), TypeError, "input_data"),
        (lambda: col2im(np.ones((4, 4)), (1, 1, 3, 3), 2, 2, stride=2), ValueError, "col の形"),
        (lambda: col2im(np.ones((4, 4)), (1, 1, 3), 2, 2), TypeError, "input_shape"),
        (lambda: col2im(np.ones((4, 4)), (1, 1, 3, 2.5), 2, 2), TypeError, "input_shape"),
        (lambda: col2im(np.ones(4), (1, 1, 3, 3), 2, 2), ValueError, "col は 2 次元"),
        (lambda: conv_output_size(3, 5), ValueError, "filter_size"),
        (lambda: conv_output_size(True, 1), TypeError, "input_size"),
        (lambda: conv_output_size(8, 3, 0), ValueError, "stride"),
    ],
)
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
