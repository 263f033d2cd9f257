/**
 * A deliberately small suffix stripper. Porter's full algorithm buys little on short chat messages and its
 * over-stemming merges words that intents need apart; what matters here is that the inflections customers
 * actually vary ("charge", "charged", "charges", "charging") land on one feature.
 */

const VOWEL = /[aeiouy]/;
// Final doubled consonants that are real (Porter keeps l, s and z doubled).
const KEEP_DOUBLE = new Set(["l", "s", "z"]);

function hasVowel(text: string): boolean {
  return VOWEL.test(text);
}

function undouble(stem: string): string {
  const last = stem[stem.length - 1];
  if (stem.length > 3 && last !== undefined && last === stem[stem.length - 2] && !KEEP_DOUBLE.has(last)) {
    return stem.slice(0, -1);
  }
  return stem;
}

export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  // Plurals and third person.
  if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("ies") || w.endsWith("ied")) w = `${w.slice(0, -3)}i`;
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is") && w.length > 3) {
    w = w.slice(0, -1);
  }
  // Verb inflections, only when a vowel is left so "sing" or "bed" survive.
  if (w.endsWith("ing") && w.length > 5 && hasVowel(w.slice(0, -3))) w = undouble(w.slice(0, -3));
  else if (w.endsWith("ed") && w.length > 4 && hasVowel(w.slice(0, -2))) w = undouble(w.slice(0, -2));
  if (w.endsWith("ly") && w.length > 5) w = w.slice(0, -2);
  // "arrive"/"arriving"/"arrived" and "happy"/"happier" meet on "arriv"/"happi".
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  if (w.endsWith("y") && w.length > 3 && !VOWEL.test(w[w.length - 2] ?? "a")) w = `${w.slice(0, -1)}i`;
  return w;
}
