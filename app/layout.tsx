import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "XLSS PaaS", template: "%s · XLSS PaaS" },
  description: "Self-service stateful middleware on Kubernetes with fast local disks",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-6xl items-center gap-8 px-6 py-3">
            <Link href="/" className="text-lg font-semibold tracking-tight">
              XLSS <span className="text-sky-600">PaaS</span>
            </Link>
            <nav className="flex gap-5 text-sm text-slate-600">
              <Link href="/nodes" className="hover:text-slate-900">
                Nodes
              </Link>
            </nav>
          </div>
        </header>
        <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
      </body>
    </html>
  );
}
