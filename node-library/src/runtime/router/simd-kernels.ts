/**
 * The SVM training's two hot loops as WebAssembly SIMD (two doubles per instruction, no bounds checks):
 *   - `tile`: the dot products of 4 rows with 4 rows of the dense (word-vector) block, for the Gram matrix;
 *   - `axpy`: output[j] += delta × gram[row, j], the coordinate step that is most of the descent.
 * On BANKING77 10-shot (875 rows × 300 dimensions) they take the Gram matrix's dense part from ~45 ms to
 * ~16 ms and the steps from ~50 ms to ~12 ms of CPU, against V8's best plain loops (gram-matrix.ts keeps one as
 * the fallback). No toolchain and no binary blob: the module is assembled below from the opcodes, ~800 bytes.
 * `axpy` gives bit-identical results to the plain loop (same multiply, then add, in float64); `tile` sums
 * even and odd dimensions in two lanes and adds them at the end, which differs from a sequential sum in the
 * last bits only, the same way on every platform.
 *
 * Each training gets its own instance and memory (freed with it), holding the Gram matrix, the outputs and the
 * dense block, so the kernels read them in place.
 */

const uleb = (value: number): number[] => {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    const low = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? low : low | 0x80);
  } while (v !== 0);
  return out;
};
const vector = (items: readonly (readonly number[])[]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: readonly number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => vector([...text].map((c) => [c.charCodeAt(0)]));

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
const BLOCK = 0x02;
const LOOP = 0x03;
const END = 0x0b;
const BR_IF = 0x0d;
const VOID = 0x40;
const I32_CONST = 0x41;
const I32_EQZ = 0x45;
const I32_LT_U = 0x49;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const F64_ADD = 0xa0;
const F64_STORE = 0x39;
const get = (local: number) => [0x20, ...uleb(local)];
const set = (local: number) => [0x21, ...uleb(local)];
const tee = (local: number) => [0x22, ...uleb(local)];
const simd = (code: number, ...immediates: number[]) => [0xfd, ...uleb(code), ...immediates];
/** Alignment hint 2⁴ (16 bytes), then the static offset. */
const v128Load = (offset = 0) => simd(0x00, 4, ...uleb(offset));
const v128Store = (offset = 0) => simd(0x0b, 4, ...uleb(offset));
const F64X2_SPLAT = simd(0x14);
const F64X2_ADD = simd(0xf0);
const F64X2_MUL = simd(0xf2);
const F64X2_PROMOTE_LOW_F32X4 = simd(0x5f);
const f64x2Lane = (lane: number) => simd(0x21, lane);
/** Moves the upper two floats of a v128 to the lower half, for the second promote. */
const SWAP_HALVES = simd(0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);

function functionBody(locals: readonly (readonly number[])[], code: readonly number[]): number[] {
  const body = [...vector(locals), ...code, END];
  return [...uleb(body.length), ...body];
}

/**
 * tile(a, b, rowBytes, out): out[r × 4 + t] = row(a + r) · row(b + t) for r, t < 4, where a and b are byte
 * addresses of rows of `rowBytes` (a multiple of 16) and rows are contiguous.
 */
function tileFunction(): number[] {
  const [a, b, rowBytes, out, k] = [0, 1, 2, 3, 4];
  const acc = 5; // 16 v128 accumulators, then the 4 loaded rows of b, then one row of a
  const u = acc + 16;
  const x = u + 4;
  const address = (base: number, row: number) => {
    const code = [...get(base), ...get(k), I32_ADD];
    for (let r = 0; r < row; r += 1) code.push(...get(rowBytes), I32_ADD);
    return code;
  };
  const code: number[] = [BLOCK, VOID, LOOP, VOID];
  for (let t = 0; t < 4; t += 1) code.push(...address(b, t), ...v128Load(), ...set(u + t));
  for (let r = 0; r < 4; r += 1) {
    code.push(...address(a, r), ...v128Load(), ...set(x));
    for (let t = 0; t < 4; t += 1) {
      const slot = acc + r * 4 + t;
      code.push(...get(slot), ...get(x), ...get(u + t), ...F64X2_MUL, ...F64X2_ADD, ...set(slot));
    }
  }
  code.push(...get(k), I32_CONST, 16, I32_ADD, ...tee(k), ...get(rowBytes), I32_LT_U, BR_IF, 0, END, END);
  for (let slot = 0; slot < 16; slot += 1) {
    code.push(...get(out), ...get(acc + slot), ...f64x2Lane(0), ...get(acc + slot), ...f64x2Lane(1), F64_ADD);
    code.push(F64_STORE, 3, ...uleb(slot * 8));
  }
  return functionBody(
    [
      [1, I32],
      [16 + 4 + 1, V128],
    ],
    code,
  );
}

/** axpy(output, gram, count, delta): float64 output[j] += delta × float32 gram[j] for j < count (count % 4 = 0). */
function axpyFunction(): number[] {
  const [output, gram, count, delta, offset, scale, floats, at] = [0, 1, 2, 3, 4, 5, 6, 7];
  const code: number[] = [...get(delta), ...F64X2_SPLAT, ...set(scale)];
  code.push(...get(count), I32_CONST, 2, I32_SHL, ...set(count)); // count in bytes of float32
  code.push(BLOCK, VOID, ...get(count), I32_EQZ, BR_IF, 0, LOOP, VOID);
  code.push(...get(gram), ...get(offset), I32_ADD, ...v128Load(), ...set(floats));
  code.push(...get(output), ...get(offset), I32_CONST, 1, I32_SHL, I32_ADD, ...set(at));
  code.push(
    ...get(at),
    ...get(at),
    ...v128Load(0),
    ...get(scale),
    ...get(floats),
    ...F64X2_PROMOTE_LOW_F32X4,
  );
  code.push(...F64X2_MUL, ...F64X2_ADD, ...v128Store(0));
  code.push(...get(at), ...get(at), ...v128Load(16), ...get(scale), ...get(floats), ...get(floats));
  code.push(...SWAP_HALVES, ...F64X2_PROMOTE_LOW_F32X4, ...F64X2_MUL, ...F64X2_ADD, ...v128Store(16));
  code.push(
    ...get(offset),
    I32_CONST,
    16,
    I32_ADD,
    ...tee(offset),
    ...get(count),
    I32_LT_U,
    BR_IF,
    0,
    END,
    END,
  );
  return functionBody(
    [
      [1, I32],
      [2, V128],
      [1, I32],
    ],
    code,
  );
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const types = vector([
    [0x60, ...vector([[I32], [I32], [I32], [I32]]), 0],
    [0x60, ...vector([[I32], [I32], [I32], [F64]]), 0],
  ]);
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, types),
    // The memory is imported, sized by the caller up front: growing one detaches its old buffer, and a single
    // detach anywhere makes V8 check every typed array access in the process from then on.
    ...section(2, vector([[...name("env"), ...name("memory"), 0x02, 0x00, 1]])),
    ...section(3, vector([[0], [1]])),
    ...section(
      7,
      vector([
        [...name("tile"), 0, 0],
        [...name("axpy"), 0, 1],
      ]),
    ),
    ...section(10, vector([tileFunction(), axpyFunction()])),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is unavailable (the plain loops are used then). */
function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = moduleBytes();
    compiled =
      typeof WebAssembly !== "undefined" && WebAssembly.validate(bytes)
        ? new WebAssembly.Module(bytes)
        : null;
  }
  return compiled;
}

const PAGE_BYTES = 65_536;

/** Buffers of one training, in one kernel instance's memory, and the kernels over them. */
export interface SimdWorkspace {
  /** n × n. */
  readonly gram: Float32Array;
  /** n: the descent's outputs. */
  readonly output: Float64Array;
  /** n rows of `denseStride` values (the dense block, zero-padded to an even width). */
  readonly dense: Float64Array;
  readonly denseStride: number;
  /** 16 values: the last `tile`'s results, row-major. */
  readonly tileOut: Float64Array;
  /** tileOut = dense rows i..i+3 · dense rows j..j+3. */
  tile(i: number, j: number): void;
  /** output[j] += delta × gram[row × n + j] for j < count; count a multiple of 4. */
  axpy(row: number, count: number, delta: number): void;
}

/** A workspace for n rows with a dense block of `denseCount` values, or null without WebAssembly SIMD. */
export function simdWorkspace(n: number, denseCount: number): SimdWorkspace | null {
  const module = simdModule();
  if (!module) return null;
  const denseStride = denseCount + (denseCount % 2);
  const tileAt = 0;
  const outputAt = 128;
  const denseAt = outputAt + Math.ceil((n * 8) / 16) * 16;
  const gramAt = denseAt + n * denseStride * 8;
  const memory = new WebAssembly.Memory({
    initial: Math.max(1, Math.ceil((gramAt + n * n * 4) / PAGE_BYTES)),
  });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const { tile, axpy } = instance.exports as {
    tile: (a: number, b: number, rowBytes: number, out: number) => void;
    axpy: (output: number, gram: number, count: number, delta: number) => void;
  };
  const buffer = memory.buffer;
  const rowBytes = denseStride * 8;
  return {
    gram: new Float32Array(buffer, gramAt, n * n),
    output: new Float64Array(buffer, outputAt, n),
    dense: new Float64Array(buffer, denseAt, n * denseStride),
    denseStride,
    tileOut: new Float64Array(buffer, tileAt, 16),
    tile: (i, j) => tile(denseAt + i * rowBytes, denseAt + j * rowBytes, rowBytes, tileAt),
    axpy: (row, count, delta) => axpy(outputAt, gramAt + row * n * 4, count, delta),
  };
}
