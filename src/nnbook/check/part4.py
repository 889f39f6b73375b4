"""第 IV 部（第 15〜17 章）の演習のチェッカー：言葉と注意（NumPy だけで確かめる）。

チェッカーを足すときは、学習者の関数を ``_call`` で呼び、戻り値を ``_result``（または
``_same_array``・``_matches``・``_number``・``_integer``）で調べ、公開する名前を ``__all__`` に足します。
"""

import numpy as np

from ._harness import (
    _array,
    _call,
    _close,
    _hint,
    _matches,
    _number,
    _Report,
    _require_callable,
    _result,
)

__all__ = [
    "scaled_dot_product_attention",
    "causal_mask",
    "perplexity",
    "bpe_merge",
    "top_k_probs",
]

# ---------------------------------------------------------------- 注意機構


def _softmax_last(S):
    """ヒントと正解のためのソフトマックス関数（最後の軸。-inf はちょうど 0 になる）。"""
    S = S - S.max(axis=-1, keepdims=True)
    E = np.exp(S)
    return E / E.sum(axis=-1, keepdims=True)


def _attention_reference(Q, K, V, mask, scale=None, after=False, axis=-1):
    """正解と、よくある間違いの結果。scale は Q Kᵀ に掛ける数（既定は 1/√d_k）。

    after=True ならマスクをソフトマックス関数の後に掛ける（間違い）。axis はソフトマックス関数の軸。
    """
    scale = 1 / np.sqrt(Q.shape[-1]) if scale is None else scale
    S = Q @ K.T * scale
    if mask is not None and not after:
        S = np.where(mask, S, -np.inf)
    if axis == -1:
        A = _softmax_last(S)
    else:
        A = _softmax_last(S.T).T
    if mask is not None and after:
        A = A * mask
    return A @ V


def _attention_cases():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4, 3))
    causal = np.tril(np.ones((4, 4), dtype=bool))
    Q2, K2, V2 = rng.normal(size=(2, 4)), rng.normal(size=(3, 4)), rng.normal(size=(3, 2))
    cross_mask = np.array([[True, True, False], [False, True, True]])
    big = np.array([[30.0], [29.0]])
    return [
        ("マスクなし、Q・K・V は shape (4, 3)", X * 2.0, X, X[:, ::-1].copy(), None),
        ("因果マスク、T = 4", X, X * 1.5, X, causal),
        (
            "Q は shape (2, 4)、K は shape (3, 4)、V は shape (3, 2)、マスク付き",
            Q2,
            K2,
            V2,
            cross_mask,
        ),
        ("スコアが大きい（d_k = 1、Q Kᵀ ≈ 900）", big, big, np.array([[1.0], [-1.0]]), None),
    ]


def _attention_hint(report, out, caught, Q, K, V, mask):
    """scaled_dot_product_attention のよくある間違いのヒント。"""
    arr = _array(out)
    if arr is not None and arr.dtype.kind == "f" and np.isnan(arr).any():
        if any("overflow" in m for m in caught):
            _hint(
                report,
                "exp がオーバーフローしています。各行の最大値を引いてからソフトマックス関数に通します",
            )
        elif mask is None:
            _hint(report, "mask が None のときは、マスクを使わずにすべての位置に注意します")
        else:
            _hint(
                report,
                "nan は、すべての位置を隠した行（0 / 0）から出ます。"
                "mask は True が「注意してよい」位置です（逆にしていませんか）",
            )
        return
    d_k = Q.shape[1]
    square = mask is not None and mask.shape[0] == mask.shape[1]
    if _close(out, _attention_reference(Q, K, V, mask, scale=1.0)):
        _hint(report, "√d_k で割っていません。スコアは Q Kᵀ / √d_k です")
    elif _close(out, _attention_reference(Q, K, V, mask, scale=1.0 / d_k)):
        _hint(report, "d_k で割っています。割るのは √d_k（np.sqrt(d_k)）です")
    elif mask is not None and _close(out, _attention_reference(Q, K, V, mask, after=True)):
        _hint(
            report,
            "マスクをソフトマックス関数の後に掛けています。これでは重みの和が 1 になりません。"
            "ソフトマックス関数の前に、隠す位置のスコアを -∞ にします",
        )
    elif square and _close(out, _attention_reference(Q, K, V, mask.T)):
        _hint(
            report,
            "マスクが転置されています。mask[i, j] は「クエリ i がキー j に注意してよいか」です",
        )
    elif Q.shape[0] == K.shape[0] and _close(out, _attention_reference(Q, K, V, mask, axis=0)):
        _hint(
            report,
            "ソフトマックス関数の軸が違います。各クエリ（行）について、"
            "キーの方向（axis=-1）で和を 1 にします",
        )


def scaled_dot_product_attention(func):
    """func(Q, K, V, mask) がスケール化ドット積注意 softmax(Q Kᵀ / √d_k) V を返すかを調べる。

    Q は shape (T_q, d_k)、K は shape (T_k, d_k)、V は shape (T_k, d_v)、mask は shape (T_q, T_k) の
    bool の配列（True が「注意してよい」位置）か None。戻り値は shape (T_q, d_v)。
    マスクが False の位置はスコアを -∞（または -1e9 のような大きな負の数）にしてから
    ソフトマックス関数（最後の軸）に通す。
    """
    _require_callable(func)
    report = _Report("スケール化ドット積注意 scaled_dot_product_attention(Q, K, V, mask)")
    for label, Q, K, V, mask in _attention_cases():
        copies = [a.copy() for a in (Q, K, V)]
        mask_in = None if mask is None else mask.copy()
        out, caught = _call(report, func, copies[0], copies[1], copies[2], mask_in)
        if report.failed and out is None:
            break
        expected = _attention_reference(Q, K, V, mask)
        if not _matches(report, label, out, expected):
            _attention_hint(report, out, caught, Q, K, V, mask)
        if not all(np.array_equal(a, b) for a, b in zip(copies, (Q, K, V))):
            report.ng("Q・K・V のどれかを書き換えています。入力は変えずに計算してください")
        if mask is not None and not np.array_equal(mask_in, mask):
            report.ng("mask を書き換えています。入力は変えずに計算してください")
    return report.finish()


def causal_mask(func):
    """func(T) が因果マスク（shape (T, T) の bool、下三角と対角が True）を返すかを調べる。

    ``mask[i, j]`` は「時刻 i のクエリが時刻 j のキーに注意してよいか」で、j <= i のとき True
    （Keras の ``attention_mask`` と同じ向き）。
    """
    _require_callable(func)
    report = _Report("因果マスク causal_mask(T)")
    noted = False
    for T in (1, 2, 4, 7):
        expected = np.tril(np.ones((T, T), dtype=bool))
        out, _ = _call(report, func, T)
        if report.failed and out is None:
            break
        label = f"T = {T}"
        got = _result(report, label, out, (T, T), finite=False)
        if got is None:
            continue
        if np.array_equal(got, expected):
            kind = _array(out).dtype.kind
            report.ok(f"{label}: 正しいマスクです")
            if kind != "b" and not noted:
                noted = True
                report.note(
                    "値は合っています。「注意してよいか」の真偽なので、"
                    "dtype=bool の配列にすると意味がはっきりします"
                )
            continue
        report.ng(f"{label}: 値が違います（1 行目は {got[0].tolist()}）")
        if np.any(np.isinf(got)):
            _hint(
                report,
                "スコアに足す 0 と -∞ の行列になっています。ここでは True（注意してよい）と False の行列を返します",
            )
        elif np.array_equal(got, expected.T):
            _hint(
                report,
                "上三角になっています。時刻 i（行）は j <= i の列（過去と自分）に注意できます",
            )
        elif np.array_equal(got, ~expected):
            _hint(report, "True と False が逆です。True が「注意してよい」位置です（Keras と同じ）")
        elif np.array_equal(got, np.tril(expected, -1)):
            _hint(
                report,
                "対角（自分自身）が False です。各時刻は自分自身にも注意します（最初の時刻は自分だけ）",
            )
    return report.finish()


# ---------------------------------------------------------------- 言語モデルの評価


def perplexity(func):
    """func(losses) がパープレキシティ exp(平均の損失) を返すかを調べる。

    losses はトークンごとの交差エントロピー誤差（自然対数）の配列（形は何でもよい）。
    パープレキシティは exp(mean(losses)) で、K 個から一様に当て推量するモデルなら K になる。
    """
    _require_callable(func)
    report = _Report("パープレキシティ perplexity(losses)")
    cases = [
        ("どのトークンも損失 log 50（一様な 50 択）", np.full(6, np.log(50.0))),
        ("損失 [0.5, 1.0, 2.5, 0.2]", np.array([0.5, 1.0, 2.5, 0.2])),
        ("shape (2, 3) の損失", np.array([[1.2, 0.3, 2.0], [0.1, 0.9, 1.7]])),
        ("すべて 0（必ず当たる）", np.zeros(5)),
    ]
    for label, losses in cases:
        given = losses.copy()
        out, _ = _call(report, func, given)
        if report.failed and out is None:
            break
        got = _number(report, label, out)
        if got is None:
            continue
        expected = float(np.exp(losses.mean()))
        if np.isclose(got, expected, rtol=1e-6):
            report.ok(f"{label}: {got:.4f} で正しい値です")
        else:
            report.ng(f"{label}: {got:.4g} になりました")
            mean = losses.mean()
            if np.isclose(got, np.mean(np.exp(losses)), rtol=1e-9):
                _hint(report, "exp の平均になっています。損失の平均を取ってから exp します")
            elif np.isclose(got, 2.0**mean, rtol=1e-9):
                _hint(report, "2 を底にしています。損失は自然対数（底 e）なので np.exp を使います")
            elif np.isclose(got, np.exp(losses.sum()), rtol=1e-9):
                _hint(report, "損失の和を使っています。トークンあたりの平均を使います")
            elif np.isclose(got, mean, rtol=1e-9):
                _hint(report, "平均の損失のままです。exp を取るとパープレキシティになります")
            elif np.isclose(got, np.exp(-mean), rtol=1e-9):
                _hint(report, "符号が逆です。損失は -log p なので、exp(平均の損失) です")
        if not np.array_equal(given, losses):
            report.ng("losses を書き換えています。入力は変えずに計算してください")
    return report.finish()


# ---------------------------------------------------------------- バイト対符号化（第 15 章）


def _merge_reference(seq, pair, new):
    out, i = [], 0
    while i < len(seq):
        if tuple(seq[i : i + 2]) == pair:
            out.append(new)
            i += 2
        else:
            out.append(seq[i])
            i += 1
    return out


def _merge_overlapping(seq, pair, new):
    """よくある誤り：1 つずつ進めて、重なった組も数える。"""
    out = []
    for i in range(len(seq) - 1):
        out.append(new if tuple(seq[i : i + 2]) == pair else seq[i])
    return out + seq[-1:]


def bpe_merge(func):
    """func(seq, pair, new) が BPE の 1 回のマージ（左から順に、重ならずに置き換える）かを調べる。

    seq はトークン（文字列）のリスト、pair は 2 つのトークンのタプル、new は新しいトークン。
    戻り値は新しいリストで、seq を書き換えないこと。
    """
    _require_callable(func)
    report = _Report("BPE のマージ merge_pair(seq, pair, new)")
    cases = [
        ("「です。」で ('す', '。') をマージ", list("です。ます。"), ("す", "。"), "す。"),
        ("前のマージの結果を材料にする", ["で", "す。", "ま", "す。"], ("ま", "す。"), "ます。"),
        ("同じトークンが 3 つ続く", list("ーーー"), ("ー", "ー"), "ーー"),
        ("同じトークンが 4 つ続く", list("ーーーー"), ("ー", "ー"), "ーー"),
        ("組が現れない", list("abc"), ("c", "a"), "ca"),
        ("末尾の組", list("xab"), ("a", "b"), "ab"),
    ]
    for label, seq, pair, new in cases:
        given, before = list(seq), report.failed
        out, _ = _call(report, func, given, pair, new)
        if out is None:
            if report.failed > before:
                break  # 例外（同じ × を繰り返さない）
            report.ng(f"{label}: None が返りました。新しいリストを return してください")
            continue
        expected = _merge_reference(seq, pair, new)
        got = None
        if not isinstance(out, (str, bytes)):
            try:
                got = list(out)
            except Exception:  # リストにできないもの（数など）
                got = None
        if got is None or not all(isinstance(tok, str) for tok in got):
            report.ng(
                f"{label}: {type(out).__name__} が返りました。"
                "トークン（文字列）のリストを返してください"
            )
            continue
        got = [str(tok) for tok in got]
        if got == expected:
            report.ok(f"{label}: {got} で正しい結果です")
        else:
            report.ng(f"{label}: {got!r} になりました（正しくは {expected!r}）")
            if got == _merge_overlapping(seq, pair, new):
                _hint(report, "重なった組も置き換えています。置き換えたら 2 つ先へ進みます")
            elif "".join(map(str, got)) != "".join(seq):
                _hint(
                    report,
                    "つなげた文字列が元と変わっています。トークンを落としたり重ねたりしていませんか",
                )
        if given != seq:
            report.ng("seq を書き換えています。新しいリストを作って返してください")
    return report.finish()


# ---------------------------------------------------------------- 温度と top-k サンプリング（第 17 章）


def _top_k_reference(logits, k, temperature):
    """正解：スコアを温度で割り、大きい順に k 個だけ残してソフトマックス関数に通す。"""
    s = logits / temperature
    keep = np.argsort(-s, kind="stable")[:k]
    p = np.zeros_like(s)
    e = np.exp(s[keep] - s[keep].max())
    p[keep] = e / e.sum()
    return p


def top_k_probs(func):
    """func(logits, k, temperature) が、温度と top-k で変えた次のトークンの確率を返すかを調べる。

    logits はモデルの出力（ソフトマックス関数の前のスコア）で shape (V,)、k は残すトークンの数（1〜V）、
    temperature は正の数。戻り値は shape (V,) の確率で、スコアの大きい k 個以外は 0、和は 1。
    確率は softmax(logits / temperature) を大きい k 個に限って正規化し直したもの。
    """
    _require_callable(func)
    report = _Report("温度と top-k の確率 top_k_probs(logits, k, temperature)")
    s = np.array([2.0, -1.0, 0.5, 3.0, 1.0, -2.0])
    cases = [
        ("k = V、温度 1（ただのソフトマックス関数）", s, 6, 1.0),
        ("k = 3、温度 1", s, 3, 1.0),
        ("k = 1（いちばん大きいスコアだけ）", s, 1, 1.0),
        ("k = 3、温度 0.5（分布がとがる）", s, 3, 0.5),
        ("k = 4、温度 2（分布が平らになる）", s, 4, 2.0),
        ("スコアが大きい（800 前後）", s + 800.0, 2, 1.0),
    ]
    for label, logits, k, temperature in cases:
        given = logits.copy()
        out, _ = _call(report, func, given, k, temperature)
        if report.failed and out is None:
            break
        expected = _top_k_reference(logits, k, temperature)
        if _matches(report, label, out, expected):
            pass
        else:
            got = _result(None, label, out, expected.shape)
            if got is None:
                _hint(
                    report,
                    "shape (V,) の確率を返します。overflow なら最大値を引いてから exp します",
                )
            elif np.count_nonzero(got) != k:
                _hint(
                    report,
                    f"0 でない確率が {np.count_nonzero(got)} 個です。大きい順に k 個だけ残します",
                )
            elif not np.isclose(got.sum(), 1.0):
                _hint(
                    report,
                    f"和が {got.sum():.4f} です。残した k 個の確率の和が 1 になるように割り直します",
                )
            elif np.allclose(got, _top_k_reference(logits * temperature, k, 1.0)):
                _hint(
                    report,
                    "温度を掛けています。スコアを温度で 割って からソフトマックス関数に通します",
                )
            elif np.allclose(got, _top_k_reference(-logits, k, temperature)):
                _hint(report, "小さい順に k 個を残しています。スコアの大きい k 個を残します")
        if not np.array_equal(given, logits):
            report.ng("logits を書き換えています。入力は変えずに計算してください")
    return report.finish()
