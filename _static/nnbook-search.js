// 検索ページ（search.html）で Pagefind の検索欄と結果を出す。?q=語 があればすぐ検索する。
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("pagefind-search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  const ui = new PagefindUI({
    element: "#pagefind-search",
    // 相対パスのままだと import() が解決できないので、ページの URL から絶対 URL にする
    bundlePath: new URL(element.dataset.bundlePath, window.location.href).href,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
  });
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
  const input = element.querySelector("input");
  if (input) {
    input.focus();
  }
});
