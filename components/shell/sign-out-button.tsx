"use client";

import { signOut } from "next-auth/react";

export function SignOutButton({ label }: { label: string }) {
  return (
    <button type="button" className="text-slate-500 hover:text-slate-900" onClick={() => void signOut({ callbackUrl: "/signin" })}>
      {label}
    </button>
  );
}
