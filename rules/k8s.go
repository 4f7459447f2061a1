package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// K8sPack returns the rules about Kubernetes clusters: kubectl and oc
// commands that delete resources (delete of anything, drain, replace
// --force, scale to zero replicas, apply --prune) and helm releases being
// uninstalled.
//
// kubectl, oc and helm parse options the cobra way: global options such as
// --context, -n/--namespace or --kubeconfig may come before or after the
// subcommand, in the "--opt value" or "--opt=value" form. Reading, applying
// and debugging (get, describe, logs, apply, rollout, port-forward, exec,
// helm status/template/install/upgrade) report nothing; what runs inside
// "kubectl exec -- CMD" is analysed by the interceptor as a command of its
// own. A dry run (--dry-run=client|server, helm --dry-run) reports nothing.
func K8sPack() *Pack {
	return &Pack{
		Name:     "k8s",
		Commands: []string{"kubectl", "oc", "helm", "k3s", "microk8s", "microk8s.kubectl", "microk8s.helm", "microk8s.helm3", "minikube"},
		Check:    k8sCheck,
		Rules: []Rule{
			{ID: "k8s.delete", Default: Confirm, Summary: "kubectl/oc delete: deletes cluster resources (a namespace with everything in it, a PVC with its data, a deployment)"},
			{ID: "k8s.drain", Default: Confirm, Summary: "kubectl drain: evicts every pod from a node"},
			{ID: "k8s.replace-force", Default: Confirm, Summary: "kubectl replace --force: deletes the resources and creates them again"},
			{ID: "k8s.scale-zero", Default: Confirm, Summary: "kubectl scale --replicas=0: stops every pod of a workload"},
			{ID: "k8s.apply-prune", Default: Confirm, Summary: "kubectl apply --prune: deletes the resources that are not in the applied manifests"},
			{ID: "k8s.helm-uninstall", Default: Confirm, Summary: "helm uninstall/delete: deletes every resource of a release"},
			{ID: "k8s.unknown-subcommand", Default: Confirm, Summary: "kubectl, oc or helm subcommand that cannot be known statically"},
		},
	}
}

// k8sKubectlSpec is how kubectl and oc spell the options of the commands
// this pack reads: the global options and those of delete, drain, scale,
// replace, apply, get, logs, exec and port-forward.
func k8sKubectlSpec() cliSpec {
	return cliSpec{
		short: "nslfokcLvp",
		long: []string{
			"--namespace", "--context", "--cluster", "--kubeconfig", "--server", "--user", "--token",
			"--as", "--as-group", "--as-uid", "--certificate-authority", "--client-certificate",
			"--client-key", "--cache-dir", "--request-timeout", "--tls-server-name", "--password",
			"--username", "--profile", "--profile-output", "--log-file", "--log-dir", "--v", "--vmodule",
			"--filename", "--selector", "--field-selector", "--grace-period", "--timeout", "--output",
			"--kustomize", "--raw", "--replicas", "--current-replicas", "--resource-version",
			"--pod-selector", "--chunk-size", "--sort-by", "--label-columns", "--container", "--since",
			"--since-time", "--tail", "--limit-bytes", "--address", "--template", "--field-manager",
			"--prune-allowlist", "--prune-whitelist", "--overrides", "--image", "--env", "--port",
			"--skip-wait-for-delete-timeout", "--pod-running-timeout", "--max-log-requests",
		},
	}
}

// k8sHelmSpec is how helm spells the options of uninstall and its globals.
func k8sHelmSpec() cliSpec {
	return cliSpec{
		short: "no",
		long: []string{
			"--namespace", "--kube-context", "--kubeconfig", "--kube-apiserver", "--kube-as-user",
			"--kube-as-group", "--kube-ca-file", "--kube-token", "--kube-tls-server-name",
			"--registry-config", "--repository-cache", "--repository-config", "--burst-limit", "--qps",
			"--cascade", "--description", "--timeout", "--output",
		},
	}
}

// k8sTarget returns the tool an invocation runs and its arguments, looking
// through the distributions that bundle kubectl and helm ("k3s kubectl",
// "microk8s kubectl", "microk8s.helm3", "minikube kubectl -- ...").
func k8sTarget(inv *interceptor.Invocation) (string, []interceptor.Word) {
	args := inv.Args
	switch inv.Name {
	case "microk8s.kubectl":
		return "kubectl", args
	case "microk8s.helm", "microk8s.helm3":
		return "helm", args
	case "k3s", "microk8s":
		if len(args) > 0 {
			switch args[0].Value {
			case "kubectl":
				return "kubectl", args[1:]
			case "helm", "helm3":
				return "helm", args[1:]
			}
		}
		return "", nil
	case "minikube":
		a := cliParse(args, cliSpec{short: "p", long: []string{"--profile"}})
		if a.op(0).Value != "kubectl" {
			return "", nil
		}
		if !a.dashdash {
			return "kubectl", a.operands[1:]
		}
		return "kubectl", a.rest
	}
	return inv.Name, args
}

// k8sCheck judges kubectl and oc (and helm through k8sHelm).
func k8sCheck(c *Call) {
	tool, args := k8sTarget(c.Inv)
	switch tool {
	case "helm":
		k8sHelm(c, args)
		return
	case "kubectl", "oc":
	default:
		return
	}
	a := cliParse(args, k8sKubectlSpec())
	verb := a.op(0)
	rest := 1
	if tool == "oc" && verb.Value == "adm" {
		verb, rest = a.op(1), 2
	}
	if verb.Unknown {
		c.Report("k8s.unknown-subcommand", "runs a "+tool+" subcommand that cannot be known before it runs ("+tool+" "+verb.String()+")")
		return
	}
	if k8sDryRun(a) {
		return
	}
	where := k8sWhere(a, "--context", "--kubeconfig")
	switch verb.Value {
	case "delete":
		if k8sPodsByName(a, rest) {
			return
		}
		c.Report("k8s.delete", "deletes "+k8sDeleted(a, rest)+where)
	case "drain":
		nodes := cliJoin(a.ops(rest), "named by the selector")
		if sel := a.str("-l", "--selector"); sel != "" {
			nodes = "matching " + sel
		}
		reason := "evicts every pod from the Kubernetes node " + nodes
		if a.on("--delete-emptydir-data", "--delete-local-data") {
			reason += ", deleting the data in their emptyDir volumes"
		}
		c.Report("k8s.drain", reason+where)
	case "replace":
		if a.on("--force") {
			c.Report("k8s.replace-force", "deletes and re-creates the Kubernetes resources defined in "+cliJoin(a.all("-f", "--filename"), "the input")+k8sNamespace(a)+where)
		}
	case "scale":
		if r, ok := a.get("--replicas"); ok && (r.Value == "0" || r.Unknown) {
			what := cliJoin(a.ops(rest), "the workloads defined in "+cliJoin(a.all("-f", "--filename"), "the input"))
			c.Report("k8s.scale-zero", "scales "+what+k8sNamespace(a)+" to "+r.String()+" replicas: every pod of it stops"+where)
		}
	case "apply":
		if a.on("--prune") {
			c.Report("k8s.apply-prune", "deletes every Kubernetes resource"+k8sSelected(a)+k8sNamespace(a)+" that is not defined in "+cliJoin(a.all("-f", "--filename", "-k", "--kustomize"), "the input")+" (apply --prune)"+where)
		}
	}
}

// k8sDryRun reports whether a kubectl or helm command only simulates:
// --dry-run, --dry-run=client, --dry-run=server; not --dry-run=none.
func k8sDryRun(a cliArgs) bool {
	dry := false
	for _, o := range a.opts {
		if o.name != "--dry-run" {
			continue
		}
		v := strings.ToLower(o.value.Value)
		dry = !o.inline || (!o.value.Unknown && v != "none" && !cliFalse(v))
	}
	return dry
}

// k8sWhere names the cluster a command talks to, for reasons: " (context
// prod)", or "" for the current context.
func k8sWhere(a cliArgs, context, kubeconfig string) string {
	var parts []string
	if ctx := a.str(context); ctx != "" {
		parts = append(parts, "context "+ctx)
	}
	if kc := a.str(kubeconfig); kc != "" {
		parts = append(parts, "kubeconfig "+kc)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// k8sNamespace returns " in namespace X", " in every namespace" or "".
func k8sNamespace(a cliArgs) string {
	if a.on("-A", "--all-namespaces") {
		return " in every namespace"
	}
	if ns := a.str("-n", "--namespace"); ns != "" {
		return " in namespace " + ns
	}
	return ""
}

// k8sSelected describes a label or field selector: " matching app=web".
func k8sSelected(a cliArgs) string {
	var sel []string
	sel = append(sel, a.all("-l", "--selector")...)
	sel = append(sel, a.all("--field-selector")...)
	if len(sel) == 0 {
		return ""
	}
	return " matching " + strings.Join(sel, ", ")
}

// k8sKind returns the name a human reads for a resource kind written as a
// short name or plural ("ns", "pvc", "deployments").
func k8sKind(t string) string {
	switch strings.ToLower(t) {
	case "ns", "namespace", "namespaces", "project", "projects":
		return "namespace"
	case "pvc", "persistentvolumeclaim", "persistentvolumeclaims":
		return "persistent volume claim"
	case "pv", "persistentvolume", "persistentvolumes":
		return "persistent volume"
	case "deploy", "deployment", "deployments":
		return "deployment"
	case "sts", "statefulset", "statefulsets":
		return "statefulset"
	case "svc", "service", "services":
		return "service"
	case "po", "pod", "pods":
		return "pod"
	case "no", "node", "nodes":
		return "node"
	case "secret", "secrets":
		return "secret"
	case "cm", "configmap", "configmaps":
		return "configmap"
	case "crd", "crds", "customresourcedefinition", "customresourcedefinitions":
		return "custom resource definition"
	}
	return t
}

// k8sConsequence adds what goes with a resource of kind k.
func k8sConsequence(k string) string {
	switch k {
	case "namespace":
		return " and everything in it"
	case "persistent volume claim", "persistent volume":
		return ", and with the usual Delete reclaim policy the data on the volume"
	case "custom resource definition":
		return " and every object of that type"
	}
	return ""
}

// k8sClusterScoped reports whether resources of kind k live outside
// namespaces.
func k8sClusterScoped(k string) bool {
	switch k {
	case "namespace", "persistent volume", "node", "custom resource definition",
		"clusterrole", "clusterroles", "clusterrolebinding", "clusterrolebindings", "storageclass", "storageclasses", "sc":
		return true
	}
	return false
}

// k8sDeleted describes what "kubectl delete" deletes, from the operands
// after the verb (at index from) and the options.
func k8sDeleted(a cliArgs, from int) string {
	ops := a.operands[min(from, len(a.operands)):]
	files := a.all("-f", "--filename", "-k", "--kustomize")
	ns := k8sNamespace(a)
	if len(ops) == 0 {
		if len(files) > 0 {
			return "the Kubernetes resources defined in " + cliList(files) + k8sSelected(a) + ns
		}
		return "the Kubernetes resources named on its input" + ns
	}
	var parts, cons []string
	scoped := false
	add := func(kind, what string) {
		if len(parts) == 0 {
			what = strings.Replace(what, "%", "Kubernetes ", 1)
		} else {
			what = strings.Replace(what, "%", "", 1)
		}
		parts = append(parts, what)
		scoped = scoped || !k8sClusterScoped(kind)
		if c := k8sConsequence(kind); c != "" && !cliContains(cons, c) {
			cons = append(cons, c)
		}
	}
	if strings.Contains(ops[0].Value, "/") || ops[0].Unknown {
		// TYPE/NAME ... (or a word that cannot be known).
		for _, w := range ops {
			t, n, _ := strings.Cut(w.String(), "/")
			k := k8sKind(t)
			if n == "" {
				add(k, "%resource "+w.String())
				continue
			}
			add(k, "the %"+k+" "+n)
		}
	} else {
		var ks []string
		for _, t := range strings.Split(ops[0].String(), ",") {
			ks = append(ks, k8sKind(t))
		}
		kind := cliList(ks)
		switch {
		case kind == "all":
			add("all", "every %pod, service, deployment, replicaset, statefulset, daemonset, job and cronjob"+k8sSelected(a))
		case len(ops) > 1:
			for _, w := range ops[1:] {
				for _, k := range ks {
					add(k, "the %"+k+" "+w.String())
				}
			}
		default:
			// --all, a selector, or nothing (kubectl refuses that).
			for _, k := range ks {
				add(k, "every %"+k+k8sSelected(a))
			}
		}
	}
	where := ""
	if scoped {
		where = ns
		if where == "" {
			where = " in the current namespace"
		}
	}
	return cliList(parts) + where + strings.Join(cons, "")
}

// k8sHelm judges a helm command.
func k8sHelm(c *Call, args []interceptor.Word) {
	a := cliParse(args, k8sHelmSpec())
	verb := a.op(0)
	if verb.Unknown {
		c.Report("k8s.unknown-subcommand", "runs a helm subcommand that cannot be known before it runs (helm "+verb.String()+")")
		return
	}
	switch verb.Value {
	case "uninstall", "delete", "del", "un":
	default:
		return
	}
	if k8sDryRun(a) {
		return
	}
	ns := ""
	if n := a.str("-n", "--namespace"); n != "" {
		ns = " in namespace " + n
	}
	rel := a.ops(1)
	var reason string
	switch len(rel) {
	case 0:
		reason = "uninstalls a Helm release" + ns + ": deletes every Kubernetes resource it created"
	case 1:
		reason = "uninstalls the Helm release " + rel[0] + ns + ": deletes every Kubernetes resource it created"
	default:
		reason = "uninstalls the Helm releases " + cliList(rel) + ns + ": deletes every Kubernetes resource they created"
	}
	if a.on("--purge") {
		reason += ", and its history"
	}
	c.Report("k8s.helm-uninstall", reason+k8sWhere(a, "--kube-context", "--kubeconfig"))
}

// k8sPodsByName reports whether a delete removes only pods named one by
// one, outside any context, namespace or kubeconfig that says prod: their
// controllers start them again, and deleting a stuck pod is everyday
// debugging. A selector, --all or every namespace is not by name.
func k8sPodsByName(a cliArgs, from int) bool {
	ops := a.operands[min(from, len(a.operands)):]
	if len(ops) == 0 || a.on("--all", "-A", "--all-namespaces") || len(a.all("-l", "--selector", "--field-selector", "-f", "--filename", "-k", "--kustomize")) > 0 {
		return false
	}
	for _, v := range []string{a.str("--context"), a.str("--cluster"), a.str("-n", "--namespace"), a.str("--kubeconfig")} {
		if strings.Contains(strings.ToLower(v), "prod") || strings.Contains(v, interceptor.UnknownMark) {
			return false
		}
	}
	names := ops
	if !strings.Contains(ops[0].Value, "/") {
		if !isPodKind(ops[0].Value) || len(ops) < 2 {
			return false
		}
		names = ops[1:]
	}
	for _, w := range names {
		if w.Unknown || w.Value == "" || strings.ContainsAny(w.Value, "*?,") {
			return false
		}
		if kind, _, ok := strings.Cut(w.Value, "/"); ok && !isPodKind(kind) {
			return false
		}
	}
	return true
}

func isPodKind(k string) bool { return k == "pod" || k == "pods" || k == "po" }
