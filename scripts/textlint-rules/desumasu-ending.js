"use strict";
// nnbook の規則：本文の段落の文は「です・ます」で終える（「〜したい。」「〜する。」のような普通体の文末を見つける）。
// textlint-rule-no-mix-dearu-desumasu が見るのは「である」「だ」だけなので、それ以外の普通体をここで補う。
// 箇条書き・表・引用・見出しは対象外（体言止めや「〜できる」を使ってよい）。scripts/lint_text.py が --rulesdir で読み込む。
const POLITE = /(です|ます|ました|でした|ません|ませんでした|でしょう|ましょう|ください)(か|ね|よ)?$/;
const ENDS_WITH_KANA = /[ぁ-ゖ]$/;

function insideSkipped(node, Syntax) {
  const skipped = [Syntax.ListItem, Syntax.Table, Syntax.TableRow, Syntax.TableCell, Syntax.BlockQuote, Syntax.Header];
  for (let p = node.parent; p; p = p.parent) {
    if (skipped.includes(p.type)) return true;
  }
  return false;
}

function stripTrailingParentheses(sentence) {
  let s = sentence.replace(/\s+$/u, "");
  for (;;) {
    const t = s.replace(/（[^（）]*）$/u, "").replace(/\([^()]*\)$/u, "").replace(/\s+$/u, "");
    if (t === s) return s;
    s = t;
  }
}

module.exports = function (context) {
  const { Syntax, RuleError, report, getSource } = context;
  return {
    [Syntax.Paragraph](node) {
      if (insideSkipped(node, Syntax)) return;
      const text = getSource(node);
      let start = 0;
      for (let i = text.indexOf("。"); i >= 0; i = text.indexOf("。", i + 1)) {
        const sentence = stripTrailingParentheses(text.slice(start, i));
        start = i + 1;
        if (ENDS_WITH_KANA.test(sentence) && !POLITE.test(sentence)) {
          const tail = sentence.replace(/\s+/gu, "").slice(-12);
          report(node, new RuleError(`文末を「です・ます」にします（…${tail}。）`, { index: i }));
        }
      }
    },
  };
};
