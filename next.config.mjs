/** @type {import('next').NextConfig} */
const nextConfig = {
  // The dashboard reads SQLite through a native addon, in worker threads piscina starts from a file
  // of its own (dist/read-worker.cjs): keep both out of the bundle.
  serverExternalPackages: ['better-sqlite3', 'piscina'],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
