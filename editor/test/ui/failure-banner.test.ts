// Banners that outlived their cause: a page whose list failed to load once kept the error after the next load
// worked. Failures are kept per kind of request; a success of that kind removes its failure, and only that one.
import { describe, expect, it } from "vitest";
import { bannerOf, withFailure, withSuccess, type Failures } from "../../src/ui/use-failures";

describe("a screen's failure banner", () => {
  it("goes away when the next load succeeds", () => {
    let failures: Failures = {};
    failures = withFailure(failures, "load", "Could not reach the Flowdeck server.");
    expect(bannerOf(failures)).toBe("Could not reach the Flowdeck server.");
    failures = withSuccess(failures, "load");
    expect(bannerOf(failures)).toBeUndefined();
  });

  it("keeps a refused action shown through the reload that follows it, until that action succeeds", () => {
    let failures: Failures = withFailure({}, "load", "Could not load the members.");
    failures = withFailure(failures, "change", "The last owner cannot be demoted.");
    failures = withSuccess(failures, "load");
    expect(bannerOf(failures)).toBe("The last owner cannot be demoted.");
    failures = withSuccess(failures, "change");
    expect(bannerOf(failures)).toBeUndefined();
  });

  it("shows the newest failure, and the older one again once the newer is resolved", () => {
    let failures: Failures = withFailure({}, "load", "first");
    failures = withFailure(failures, "save", "second");
    failures = withFailure(failures, "load", "third");
    expect(bannerOf(failures)).toBe("third");
    failures = withSuccess(failures, "load");
    expect(bannerOf(failures)).toBe("second");
    expect(withSuccess(failures, "nothing-failed")).toBe(failures);
  });
});
