/** @type {import('next').NextConfig} */
const nextConfig = {
  // The dashboard reads SQLite through a native addon: keep it out of the bundle.
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
