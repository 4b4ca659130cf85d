// openai-sdk-peer.mjs: the peer for bench-account.sh: what a script with the
// official OpenAI SDK does for the same batch: N prompts, C in flight, each
// image written to a file. Prints the wall time in seconds.
import OpenAI from 'openai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [baseURL, n, concurrency, outDir] = process.argv.slice(2);
const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL, maxRetries: 5 });
let next = 0;

async function worker () {
  while (next < Number(n)) {
    const i = next++;
    const result = await client.images.generate({
      model: 'gpt-image-2', prompt: `Poster for Person ${i + 1}`, size: '1024x1024', quality: 'medium',
    });
    writeFileSync(join(outDir, `${i + 1}.png`), Buffer.from(result.data[0].b64_json, 'base64'));
  }
}

const start = performance.now();
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
console.log(((performance.now() - start) / 1000).toFixed(3));
