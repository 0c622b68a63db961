// Prisma CLI configuration: the JavaScript engine path needs no native engine download.
// The CLI is only used offline here (`prisma generate`, `prisma migrate diff`); the project
// applies its migrations itself (see services/db/migrate.ts).
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// The schema's datasource names DATABASE_URL; the CLI only needs it to be set (the runtime
// connects through the driver adapter, embedded PGlite when DATABASE_URL is absent).
process.env.DATABASE_URL ??= 'postgresql://127.0.0.1:5432/postgres';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL });
  },
});
