import { Header } from "@/components/shell/header";

// The signed-in part of the console: header and navigation. Authorization is checked by each page
// and route handler, never only here (a layout does not re-run on client navigation).
export default function ConsoleLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <Header />
      <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
    </>
  );
}
