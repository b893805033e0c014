/* A long document is split into parts; its first page lists them in data-parts ("first¶ last¶ firstPage lastPage
   href" per line). A permalink to a passage or page that lives in a later part (documents/ID.html#PASSAGE-ID or
   #page-N) is sent on to that part, so links made before the split, or by hand from a passage id, keep working. */
(function () {
  "use strict";
  var article = document.querySelector("article[data-parts]");
  if (!article) return;
  var parts = article.getAttribute("data-parts").split("\n").map(function (line) {
    var f = line.split(" ");
    return { first: +f[0], last: +f[1], firstPage: +f[2], lastPage: +f[3], href: f.slice(4).join(" ") };
  });
  function follow() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id || document.getElementById(id)) return;
    var page = /^page-(\d+)$/.exec(id), ordinal = /-p(\d+)(?:-[0-9a-f]+)?$/.exec(id), target = null;
    parts.forEach(function (p) {
      if (page && +page[1] >= p.firstPage && +page[1] <= p.lastPage && !target) target = p;
      if (ordinal && +ordinal[1] >= p.first && +ordinal[1] <= p.last) target = p;
    });
    if (target) location.replace(target.href + "#" + encodeURIComponent(id));
  }
  follow();
  window.addEventListener("hashchange", follow);
})();
