import { trainIntentClassifier } from "./intent-classifier";
import type { IntentClassifier, IntentSpec } from "./intent-classifier";

/**
 * Trained classifiers, reused across messages. Training 77 intents × 10 examples takes tens of milliseconds,
 * scoring one message a fraction of one, so a router must never retrain per message. Two levels: a WeakMap on
 * the intents array (free when the engine hands the same config object again) and a small LRU keyed by a hash
 * of the intents' text (the engine may clone configs, e.g. when applying defaults, so identity alone would
 * miss). An LRU hit compares the full text too, so a hash collision can never route by the wrong intents.
 */

const LRU_CAPACITY = 64;

interface Entry {
  readonly text: string;
  readonly classifier: IntentClassifier;
}

const byIdentity = new WeakMap<readonly IntentSpec[], IntentClassifier>();
const byHash = new Map<string, Entry>();

/** cyrb53: a fast, well-mixed 53-bit string hash (public domain). Not cryptographic; it need not be. */
export function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Only what training reads, in a fixed shape, so equal intents give equal text whatever else the config holds. */
export function canonicalText(intents: readonly IntentSpec[]): string {
  return JSON.stringify(intents.map((i) => [i.name, i.description ?? "", i.examples]));
}

export function classifierFor(intents: readonly IntentSpec[]): IntentClassifier {
  const known = byIdentity.get(intents);
  if (known) return known;
  const text = canonicalText(intents);
  const key = hash53(text);
  const entry = byHash.get(key);
  let classifier: IntentClassifier;
  if (entry && entry.text === text) {
    classifier = entry.classifier;
    byHash.delete(key);
  } else {
    classifier = trainIntentClassifier(intents);
  }
  // Re-inserting moves the key to the end: Map iteration order is insertion order, so the first key is the
  // least recently used.
  byHash.set(key, { text, classifier });
  if (byHash.size > LRU_CAPACITY) byHash.delete(byHash.keys().next().value!);
  byIdentity.set(intents, classifier);
  return classifier;
}
