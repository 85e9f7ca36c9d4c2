// npm ci's postinstall: make Lighthouse 12.2.3's trace engine read the traces of today's Chromium.
//
// @paulirish/trace_engine 0.0.32 (pinned by lighthouse 12.2.3) assumes that every PipelineReporter
// trace event carries args.chrome_frame_reporter; Debian's Chromium (156) emits some without it,
// and the trace engine's whole run fails with "Cannot read properties of undefined (reading
// 'frame_sequence')". The metrics and scores survive, but six audits come back as errors:
// render-blocking-resources, largest-contentful-paint-element, lcp-lazy-loaded,
// prioritize-lcp-image, layout-shifts and non-composited-animations. Those events only correct
// screenshot timestamps, so they are skipped (the screenshot keeps its estimated timestamp, as
// the trace engine already does for any screenshot without a matching event).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("node_modules/@paulirish/trace_engine/", import.meta.url));
const version = JSON.parse(readFileSync(root + "package.json", "utf8")).version;
const file = root + "models/trace/handlers/ScreenshotsHandler.js";
const before = "evt.args.data.beginEvent.args.chrome_frame_reporter.frame_sequence";
const after = "evt.args.data.beginEvent.args?.chrome_frame_reporter?.frame_sequence";

const source = readFileSync(file, "utf8");
if (source.includes(after)) {
  console.log(`trace_engine ${version}: already patched`);
} else if (source.includes(before)) {
  writeFileSync(file, source.replace(before, after));
  console.log(`trace_engine ${version}: patched ScreenshotsHandler (frame_sequence)`);
} else if (version === "0.0.32") {
  console.error(`trace_engine ${version}: ${file} is not the expected source; patch not applied`);
  process.exit(1);
} else {
  console.log(`trace_engine ${version}: not the pinned 0.0.32, left as it is`);
}
