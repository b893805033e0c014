/* Concept names: kb's resolver (kb/nlp/vocabulary.py, ConceptNames.match) answered from the table kb exports
   (concept-names.json "names", made by ConceptNames.table). This file is a port of the Python normalisation, rule
   for rule: _clean, _plural_forgiven, str.casefold and surface_key (NFKC, quotes, possessives, hyphens, edge
   punctuation, well-being and co-ordinate, British spelling, the last word singular). The table is built from the
   same functions, so a lookup here finds exactly the concept `kb trace` and `kb search` find; the golden cases of
   tests/data/resolver_cases.json and a differential test (tests/test_site_browser.py) run both. */
var kbNames = (function () {
  "use strict";
  /* Python's str.split() separators (str.isspace), which differ from JavaScript's \s. */
  var SPACES = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  var QUOTES = { "\u2018": "'", "\u2019": "'", "\u201c": "\"", "\u201d": "\"", "\u2032": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-" };
  var EDGE = " .,;:'\"";
  var WORD = "[\\p{L}\\p{N}_]";  /* Python's \w */
  var POSSESSIVE = new RegExp("'s(?!" + WORD + ")", "gu");
  var WELL_BEING = new RegExp("(?<!" + WORD + ")well being(?!" + WORD + ")", "gu");
  var CO_HYPHEN = new RegExp("(?<!" + WORD + ")co (?=ordinat|operat)", "gu");
  var AMERICAN = /iz(ation|ations|e|es|ed|ing)$/;
  /* Characters whose str.casefold() is not their toLowerCase() (made from Python's Unicode database). */
  var FOLD = {"µ":"μ","ß":"ss","ŉ":"ʼn","ſ":"s","ǰ":"ǰ","ͅ":"ι","ΐ":"ΐ","ΰ":"ΰ","ς":"σ","ϐ":"β","ϑ":"θ","ϕ":"φ","ϖ":"π","ϰ":"κ","ϱ":"ρ","ϵ":"ε","և":"եւ","Ꭰ":"Ꭰ","Ꭱ":"Ꭱ","Ꭲ":"Ꭲ","Ꭳ":"Ꭳ","Ꭴ":"Ꭴ","Ꭵ":"Ꭵ","Ꭶ":"Ꭶ","Ꭷ":"Ꭷ","Ꭸ":"Ꭸ","Ꭹ":"Ꭹ","Ꭺ":"Ꭺ","Ꭻ":"Ꭻ","Ꭼ":"Ꭼ","Ꭽ":"Ꭽ","Ꭾ":"Ꭾ","Ꭿ":"Ꭿ","Ꮀ":"Ꮀ","Ꮁ":"Ꮁ","Ꮂ":"Ꮂ","Ꮃ":"Ꮃ","Ꮄ":"Ꮄ","Ꮅ":"Ꮅ","Ꮆ":"Ꮆ","Ꮇ":"Ꮇ","Ꮈ":"Ꮈ","Ꮉ":"Ꮉ","Ꮊ":"Ꮊ","Ꮋ":"Ꮋ","Ꮌ":"Ꮌ","Ꮍ":"Ꮍ","Ꮎ":"Ꮎ","Ꮏ":"Ꮏ","Ꮐ":"Ꮐ","Ꮑ":"Ꮑ","Ꮒ":"Ꮒ","Ꮓ":"Ꮓ","Ꮔ":"Ꮔ","Ꮕ":"Ꮕ","Ꮖ":"Ꮖ","Ꮗ":"Ꮗ","Ꮘ":"Ꮘ","Ꮙ":"Ꮙ","Ꮚ":"Ꮚ","Ꮛ":"Ꮛ","Ꮜ":"Ꮜ","Ꮝ":"Ꮝ","Ꮞ":"Ꮞ","Ꮟ":"Ꮟ","Ꮠ":"Ꮠ","Ꮡ":"Ꮡ","Ꮢ":"Ꮢ","Ꮣ":"Ꮣ","Ꮤ":"Ꮤ","Ꮥ":"Ꮥ","Ꮦ":"Ꮦ","Ꮧ":"Ꮧ","Ꮨ":"Ꮨ","Ꮩ":"Ꮩ","Ꮪ":"Ꮪ","Ꮫ":"Ꮫ","Ꮬ":"Ꮬ","Ꮭ":"Ꮭ","Ꮮ":"Ꮮ","Ꮯ":"Ꮯ","Ꮰ":"Ꮰ","Ꮱ":"Ꮱ","Ꮲ":"Ꮲ","Ꮳ":"Ꮳ","Ꮴ":"Ꮴ","Ꮵ":"Ꮵ","Ꮶ":"Ꮶ","Ꮷ":"Ꮷ","Ꮸ":"Ꮸ","Ꮹ":"Ꮹ","Ꮺ":"Ꮺ","Ꮻ":"Ꮻ","Ꮼ":"Ꮼ","Ꮽ":"Ꮽ","Ꮾ":"Ꮾ","Ꮿ":"Ꮿ","Ᏸ":"Ᏸ","Ᏹ":"Ᏹ","Ᏺ":"Ᏺ","Ᏻ":"Ᏻ","Ᏼ":"Ᏼ","Ᏽ":"Ᏽ","ᏸ":"Ᏸ","ᏹ":"Ᏹ","ᏺ":"Ᏺ","ᏻ":"Ᏻ","ᏼ":"Ᏼ","ᏽ":"Ᏽ","ᲀ":"в","ᲁ":"д","ᲂ":"о","ᲃ":"с","ᲄ":"т","ᲅ":"т","ᲆ":"ъ","ᲇ":"ѣ","ᲈ":"ꙋ","ẖ":"ẖ","ẗ":"ẗ","ẘ":"ẘ","ẙ":"ẙ","ẚ":"aʾ","ẛ":"ṡ","ẞ":"ss","ὐ":"ὐ","ὒ":"ὒ","ὔ":"ὔ","ὖ":"ὖ","ᾀ":"ἀι","ᾁ":"ἁι","ᾂ":"ἂι","ᾃ":"ἃι","ᾄ":"ἄι","ᾅ":"ἅι","ᾆ":"ἆι","ᾇ":"ἇι","ᾈ":"ἀι","ᾉ":"ἁι","ᾊ":"ἂι","ᾋ":"ἃι","ᾌ":"ἄι","ᾍ":"ἅι","ᾎ":"ἆι","ᾏ":"ἇι","ᾐ":"ἠι","ᾑ":"ἡι","ᾒ":"ἢι","ᾓ":"ἣι","ᾔ":"ἤι","ᾕ":"ἥι","ᾖ":"ἦι","ᾗ":"ἧι","ᾘ":"ἠι","ᾙ":"ἡι","ᾚ":"ἢι","ᾛ":"ἣι","ᾜ":"ἤι","ᾝ":"ἥι","ᾞ":"ἦι","ᾟ":"ἧι","ᾠ":"ὠι","ᾡ":"ὡι","ᾢ":"ὢι","ᾣ":"ὣι","ᾤ":"ὤι","ᾥ":"ὥι","ᾦ":"ὦι","ᾧ":"ὧι","ᾨ":"ὠι","ᾩ":"ὡι","ᾪ":"ὢι","ᾫ":"ὣι","ᾬ":"ὤι","ᾭ":"ὥι","ᾮ":"ὦι","ᾯ":"ὧι","ᾲ":"ὰι","ᾳ":"αι","ᾴ":"άι","ᾶ":"ᾶ","ᾷ":"ᾶι","ᾼ":"αι","ι":"ι","ῂ":"ὴι","ῃ":"ηι","ῄ":"ήι","ῆ":"ῆ","ῇ":"ῆι","ῌ":"ηι","ῒ":"ῒ","ΐ":"ΐ","ῖ":"ῖ","ῗ":"ῗ","ῢ":"ῢ","ΰ":"ΰ","ῤ":"ῤ","ῦ":"ῦ","ῧ":"ῧ","ῲ":"ὼι","ῳ":"ωι","ῴ":"ώι","ῶ":"ῶ","ῷ":"ῶι","ῼ":"ωι","ꭰ":"Ꭰ","ꭱ":"Ꭱ","ꭲ":"Ꭲ","ꭳ":"Ꭳ","ꭴ":"Ꭴ","ꭵ":"Ꭵ","ꭶ":"Ꭶ","ꭷ":"Ꭷ","ꭸ":"Ꭸ","ꭹ":"Ꭹ","ꭺ":"Ꭺ","ꭻ":"Ꭻ","ꭼ":"Ꭼ","ꭽ":"Ꭽ","ꭾ":"Ꭾ","ꭿ":"Ꭿ","ꮀ":"Ꮀ","ꮁ":"Ꮁ","ꮂ":"Ꮂ","ꮃ":"Ꮃ","ꮄ":"Ꮄ","ꮅ":"Ꮅ","ꮆ":"Ꮆ","ꮇ":"Ꮇ","ꮈ":"Ꮈ","ꮉ":"Ꮉ","ꮊ":"Ꮊ","ꮋ":"Ꮋ","ꮌ":"Ꮌ","ꮍ":"Ꮍ","ꮎ":"Ꮎ","ꮏ":"Ꮏ","ꮐ":"Ꮐ","ꮑ":"Ꮑ","ꮒ":"Ꮒ","ꮓ":"Ꮓ","ꮔ":"Ꮔ","ꮕ":"Ꮕ","ꮖ":"Ꮖ","ꮗ":"Ꮗ","ꮘ":"Ꮘ","ꮙ":"Ꮙ","ꮚ":"Ꮚ","ꮛ":"Ꮛ","ꮜ":"Ꮜ","ꮝ":"Ꮝ","ꮞ":"Ꮞ","ꮟ":"Ꮟ","ꮠ":"Ꮠ","ꮡ":"Ꮡ","ꮢ":"Ꮢ","ꮣ":"Ꮣ","ꮤ":"Ꮤ","ꮥ":"Ꮥ","ꮦ":"Ꮦ","ꮧ":"Ꮧ","ꮨ":"Ꮨ","ꮩ":"Ꮩ","ꮪ":"Ꮪ","ꮫ":"Ꮫ","ꮬ":"Ꮬ","ꮭ":"Ꮭ","ꮮ":"Ꮮ","ꮯ":"Ꮯ","ꮰ":"Ꮰ","ꮱ":"Ꮱ","ꮲ":"Ꮲ","ꮳ":"Ꮳ","ꮴ":"Ꮴ","ꮵ":"Ꮵ","ꮶ":"Ꮶ","ꮷ":"Ꮷ","ꮸ":"Ꮸ","ꮹ":"Ꮹ","ꮺ":"Ꮺ","ꮻ":"Ꮻ","ꮼ":"Ꮼ","ꮽ":"Ꮽ","ꮾ":"Ꮾ","ꮿ":"Ꮿ","ﬀ":"ff","ﬁ":"fi","ﬂ":"fl","ﬃ":"ffi","ﬄ":"ffl","ﬅ":"st","ﬆ":"st","ﬓ":"մն","ﬔ":"մե","ﬕ":"մի","ﬖ":"վն","ﬗ":"մխ"};

  function words(text) { return text.split(SPACES).filter(Boolean); }
  function strip(text) {
    var a = Array.from(text), i = 0, j = a.length;
    while (i < j && EDGE.indexOf(a[i]) >= 0) i++;
    while (j > i && EDGE.indexOf(a[j - 1]) >= 0) j--;
    return a.slice(i, j).join("");
  }
  function casefold(text) {
    return Array.from(text).map(function (c) { return FOLD.hasOwnProperty(c) ? FOLD[c] : c.toLowerCase(); }).join("");
  }
  function british(word) {
    word = word.replace(AMERICAN, "is$1");
    if (word === "program" || word === "programs") word = "programme" + word.slice(7);
    return word;
  }
  function singular(word) {
    if (Array.from(word).length <= 3 || !/^\p{L}+$/u.test(word)) return word;
    if (/ies$/.test(word)) return word.slice(0, -3) + "y";
    if (/(sses|shes|ches|xes)$/.test(word)) return word.slice(0, -2);
    if (/s$/.test(word) && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
    return word;
  }
  function surfaceKey(text) {
    text = String(text);
    if (!/^[\x00-\x7f]*$/.test(text)) {
      text = Array.from(text.normalize("NFKC")).map(function (c) { return QUOTES[c] || c; }).join("");
    }
    text = text.toLowerCase();
    if (text.indexOf("'") >= 0) text = text.replace(POSSESSIVE, "");
    var w = words(text.replace(/[-\/]/g, " "));
    if (w.length && (EDGE.indexOf(w[0][0]) >= 0 || EDGE.indexOf(w[w.length - 1].slice(-1)) >= 0)) {
      w = words(strip(w.join(" ")));
    }
    if (!w.length) return "";
    var joined = w.join(" ");
    if (joined.indexOf("well being") >= 0 || joined.indexOf("co ") >= 0) {
      w = words(joined.replace(WELL_BEING, "wellbeing").replace(CO_HYPHEN, "co"));
    }
    if (text.indexOf("iz") >= 0 || text.indexOf("program") >= 0) w = w.map(british);
    w[w.length - 1] = singular(w[w.length - 1]);
    return w.join(" ");
  }
  function clean(text) { return words(String(text).replace(/\u2019/g, "'")).join(" "); }
  function forgiven(word) {
    return Array.from(word).length > 2 && word.slice(-1) === "s" ? [word, word.slice(0, -1)] : [word];
  }
  function first(table, prefix, keys) {
    for (var i = 0; i < keys.length; i++) {
      if (Object.prototype.hasOwnProperty.call(table, prefix + keys[i])) return table[prefix + keys[i]];
    }
    return null;
  }
  /* The concept id a name given on purpose means, in ConceptNames.match's order: an acronym as written, an id in
     any case, an id issued once that now leads elsewhere, a label or alias by surface key, an acronym in any
     case. */
  function lookup(table, q) {
    var low = casefold(q);
    return first(table, "a ", forgiven(q)) || first(table, "i ", forgiven(low)) || first(table, "r ", [casefold(low)]) ||
      first(table, "l ", [surfaceKey(q)]) || first(table, "f ", forgiven(low));
  }
  /* Without a leading "the " and a closing possessive, as _loosen does: tried when the words as typed name nothing. */
  function loosen(q) {
    if (q.slice(0, 4).toLowerCase() === "the ") q = q.slice(4);
    if (q.length > 2 && q.slice(-2) === "'s") q = q.slice(0, -2);
    else if (q.length > 2 && q.slice(-2) === "s'") q = q.slice(0, -1);
    return q;
  }
  function find(table, text) {
    var q = clean(text);
    if (!q) return null;
    var found = lookup(table, q);
    var loose = loosen(q);
    return found !== null || !loose || loose === q ? found : lookup(table, loose);
  }
  return { casefold: casefold, surfaceKey: surfaceKey, find: find };
})();
if (typeof module !== "undefined") module.exports = kbNames;
