/** Every plugin name in one place, as kube-scheduler's names.go. */
export const PLUGIN = {
  NodeName: "NodeName",
  NodeUnschedulable: "NodeUnschedulable",
  TaintToleration: "TaintToleration",
  NodeAffinity: "NodeAffinity",
  NodeResourcesFit: "NodeResourcesFit",
  InterPodAffinity: "InterPodAffinity",
  PodTopologySpread: "PodTopologySpread",
  PrioritySort: "PrioritySort",
  DefaultBinder: "DefaultBinder",
} as const;
