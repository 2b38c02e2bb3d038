/**
 * A child process for bench/embed.ts: boots the playground Strapi in-process on a throwaway SQLite
 * file, listens on 127.0.0.1 (ephemeral port), seeds one published article whose diagram def is
 * ≈ DEF_BYTES, grants the Public role the embeds and `find`, and prints one JSON line
 * `BENCH-SERVER {port, documentId, defBytes}` on stdout (Strapi may log there too). It stays up until its parent closes stdin.
 */
import type { AddressInfo } from 'net';
import { randomUUID } from 'crypto';
import { fixture, grantPublic, setPluginSettings, startStrapi } from '../../tests/helpers/strapi';

const DEF_BYTES = Number(process.env.BENCH_DEF_BYTES ?? 200 * 1024);

interface Topic {
  id: string;
  title: string;
  children?: Topic[];
  [key: string]: unknown;
}

/** The 44-topic fixture, its branches copied (with new ids) until the def reaches DEF_BYTES. */
const makeDef = (): string => {
  const root = JSON.parse(fixture('mind-go-memory-allocator.def.json')) as Topic;
  const branches = root.children ?? [];
  const renumber = (topic: Topic, copy: number): Topic => ({
    ...topic,
    id: `${topic.id}-${copy}`,
    children: (topic.children ?? []).map((c) => renumber(c, copy)),
  });
  const children: Topic[] = [...branches];
  for (let copy = 1; Buffer.byteLength(JSON.stringify({ ...root, children })) < DEF_BYTES; copy += 1) {
    children.push(renumber(branches[copy % branches.length], copy));
  }
  return JSON.stringify({ ...root, children });
};

const main = async () => {
  const app = await startStrapi({ NODE_ENV: 'production' });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.strapi.server.httpServer.address() as AddressInfo;
  await setPluginSettings(app, { appkey: 'bench', apiBaseUrl: 'http://127.0.0.1:9', publicUrl: `http://127.0.0.1:${port}`, hidebtn: false });
  await grantPublic(app, ['plugin::processon.embed.view', 'api::article.article.find', 'api::article.article.findOne']);
  const def = makeDef();
  const doc = await app.strapi.documents('api::article.article').create({
    data: {
      title: 'Bench article',
      diagram: { chartid: randomUUID(), category: 'mind', title: 'Bench diagram', def, size: def.length / 1024, valid: true, updatedAt: new Date().toISOString() } as never,
    },
    status: 'published',
  });
  process.stdout.write(`BENCH-SERVER ${JSON.stringify({ port, documentId: doc.documentId, defBytes: Buffer.byteLength(def) })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void app.close().then(() => process.exit(0));
  });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
