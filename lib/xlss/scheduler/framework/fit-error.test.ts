import { expect, it } from "vitest";
import { fitErrorMessage } from "./fit-error";
import { Status } from "./status";

it("words a failure as kube-scheduler does", () => {
  const rejections = new Map([
    ["n1", Status.unschedulable("Insufficient cpu")],
    ["n2", Status.unschedulable("Insufficient cpu", "Insufficient memory")],
    ["n3", Status.unresolvable("node(s) had untolerated taint {node.kubernetes.io/unreachable: }")],
  ]);
  expect(fitErrorMessage(4, rejections)).toBe(
    "0/4 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient cpu.",
  );
  expect(fitErrorMessage(0, new Map())).toBe("0/0 nodes are available.");
});
