package rules

import "testing"

func TestK8sFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// corpus/block.txt
		{"kubectl delete ns staging", Confirm, "k8s.delete"},
		// Pods named one by one come back from their controllers.
		{"kubectl delete pod web-5f6d", Allow, ""},
		{"kubectl delete pods web-5f6d web-7a8b -n staging --grace-period=0 --force", Allow, ""},
		{"kubectl delete pod/web-5f6d", Allow, ""},
		{"kubectl delete pod web-5f6d -n prod", Confirm, "k8s.delete"},
		{"kubectl --context prod-eu delete pod web-5f6d", Confirm, "k8s.delete"},
		{"kubectl delete pods --all", Confirm, "k8s.delete"},
		{"kubectl delete pods -l app=web", Confirm, "k8s.delete"},
		{"kubectl delete pod,svc web", Confirm, "k8s.delete"},
		{"kubectl delete pod/web deployment/web", Confirm, "k8s.delete"},
		{"kubectl delete pod $(kubectl get pods -o name)", Confirm, "k8s.delete"},
		{"kubectl delete deployment api -n prod", Confirm, "k8s.delete"},
		{"kubectl delete pvc data-postgres-0", Confirm, "k8s.delete"},
		{"kubectl delete all --all -n prod", Confirm, "k8s.delete"},
		{"helm delete api", Confirm, "k8s.helm-uninstall"},
		{`sh -lc "kubectl delete ns prod"`, Confirm, "k8s.delete"},
		// global options anywhere, both value forms
		{"kubectl --context prod -n x delete ns y", Confirm, "k8s.delete"},
		{"kubectl --context=prod --namespace=x delete ns y", Confirm, "k8s.delete"},
		{"kubectl --kubeconfig ~/.kube/prod delete namespace y", Confirm, "k8s.delete"},
		{"kubectl -nprod delete pod/web-1 pod/web-2", Confirm, "k8s.delete"},
		{"kubectl delete -f k8s/", Confirm, "k8s.delete"},
		{"kubectl delete -k overlays/prod", Confirm, "k8s.delete"},
		{"kubectl delete pods -l app=web", Confirm, "k8s.delete"},
		{"kubectl delete --dry-run=none ns y", Confirm, "k8s.delete"},
		{"kubectl delete --wait=false ns y", Confirm, "k8s.delete"},
		{"sudo kubectl delete crd certificates.cert-manager.io", Confirm, "k8s.delete"},
		{"oc delete project shop", Confirm, "k8s.delete"},
		{"ssh bastion kubectl delete ns prod", Confirm, "k8s.delete"},
		{"kubectl drain node-1 --ignore-daemonsets --delete-emptydir-data", Confirm, "k8s.drain"},
		{"oc adm drain node-1", Confirm, "k8s.drain"},
		{"kubectl replace --force -f deploy.yaml", Confirm, "k8s.replace-force"},
		{"kubectl scale deploy/api --replicas=0 -n prod", Confirm, "k8s.scale-zero"},
		{"kubectl scale --replicas 0 statefulset postgres", Confirm, "k8s.scale-zero"},
		{"kubectl apply --prune -l app=web -f k8s/", Confirm, "k8s.apply-prune"},
		{"helm uninstall api -n prod", Confirm, "k8s.helm-uninstall"},
		{"helm -n prod un api", Confirm, "k8s.helm-uninstall"},
		{"helm --kube-context prod del api web", Confirm, "k8s.helm-uninstall"},
		{"helm uninstall api --keep-history", Confirm, "k8s.helm-uninstall"},
		{`kubectl "$VERB" ns prod`, Confirm, "k8s.unknown-subcommand"},
		{"for n in a b; do kubectl delete ns $n; done", Confirm, "k8s.delete"},
		{"k3s kubectl delete ns prod", Confirm, "k8s.delete"},
		{"microk8s kubectl -n prod delete pvc data", Confirm, "k8s.delete"},
		{"microk8s.kubectl delete ns prod", Confirm, "k8s.delete"},
		{"minikube kubectl -- delete ns prod", Confirm, "k8s.delete"},
		{"microk8s helm3 uninstall api", Confirm, "k8s.helm-uninstall"},
	}, K8sPack())
}

func TestK8sAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// corpus/allow.txt
		{"kubectl get deploy -n staging", Allow, ""},
		{"kubectl logs -f pod/web-5f6d --since=10m", Allow, ""},
		{"kubectl describe svc api", Allow, ""},
		{"kubectl rollout status deploy/api", Allow, ""},
		{"kubectl port-forward svc/api 8080:80", Allow, ""},
		{"helm status api", Allow, ""},
		{"helm template ./chart", Allow, ""},
		{"watch -n 5 'kubectl get pods'", Allow, ""},
		{`git commit -m "docs: warn about kubectl delete namespace"`, Allow, ""},
		// everyday work, and words that only look like a delete
		{"kubectl apply -f k8s/", Allow, ""},
		{"kubectl get pods -l delete=true", Allow, ""},
		{"kubectl -n delete get pods", Allow, ""},
		{"kubectl get ns delete", Allow, ""},
		{"kubectl logs -c delete web", Allow, ""},
		{"kubectl exec deploy/api -- rm -rf /data", Allow, ""},
		{"kubectl exec -it web -- sh", Allow, ""},
		{"kubectl delete ns y --dry-run=client", Allow, ""},
		{"kubectl delete -f k8s/ --dry-run=server -o yaml", Allow, ""},
		{"kubectl scale deploy/api --replicas=3", Allow, ""},
		{"kubectl replace -f deploy.yaml", Allow, ""},
		{"kubectl cordon node-1", Allow, ""},
		{"kubectl config delete-context old", Allow, ""},
		{"kubectl rollout restart deploy/api", Allow, ""},
		{"helm upgrade --install api ./chart -n prod", Allow, ""},
		{"helm uninstall api --dry-run", Allow, ""},
		{"helm list -A", Allow, ""},
		{"helm repo add bitnami https://charts.bitnami.com/bitnami", Allow, ""},
		{"echo kubectl delete ns prod", Allow, ""},
		{"k3s kubectl get pods", Allow, ""},
		{"minikube kubectl -- get pods -A", Allow, ""},
		{"minikube delete", Allow, ""},
		{"microk8s status", Allow, ""},
	}, K8sPack())
}

func TestK8sReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"kubectl delete ns staging", "k8s.delete", []string{"namespace staging and everything in it"}},
		{"kubectl delete deployment api -n prod", "k8s.delete", []string{"deployment api in namespace prod"}},
		{"kubectl delete pvc data-postgres-0", "k8s.delete", []string{"persistent volume claim data-postgres-0", "data on the volume", "current namespace"}},
		{"kubectl delete all --all -n prod", "k8s.delete", []string{"every Kubernetes pod, service, deployment", "in namespace prod"}},
		{"kubectl --context prod -n x delete ns y", "k8s.delete", []string{"namespace y and everything in it", "context prod"}},
		{"kubectl delete -f k8s/ -n prod", "k8s.delete", []string{"resources defined in k8s/ in namespace prod"}},
		{"kubectl delete pods -l app=web -A", "k8s.delete", []string{"every Kubernetes pod matching app=web in every namespace"}},
		{"kubectl delete pod/web-1 svc/web", "k8s.delete", []string{"the Kubernetes pod web-1 and the service web"}},
		{"helm -n prod uninstall api", "k8s.helm-uninstall", []string{"release api in namespace prod", "every Kubernetes resource"}},
		{"kubectl scale deploy/api --replicas=0", "k8s.scale-zero", []string{"deploy/api", "0 replicas"}},
		{"kubectl drain node-1 --delete-emptydir-data", "k8s.drain", []string{"node node-1", "emptyDir"}},
	}, K8sPack())
}
