package rules

import "testing"

func TestForgeFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// glab
		{"glab repo delete acme/api --yes", Confirm, "forge.glab-delete"},
		{"glab repo delete -y", Confirm, "forge.glab-delete"},
		{"glab release delete v1.2.0 --with-tag -y", Confirm, "forge.glab-delete"},
		{"glab variable delete DEPLOY_TOKEN", Confirm, "forge.glab-delete"},
		{"glab var delete AWS_SECRET_ACCESS_KEY -g acme", Confirm, "forge.glab-delete"},
		{"glab issue delete 42", Confirm, "forge.glab-delete"},
		{"glab mr delete 17 -R acme/api", Confirm, "forge.glab-delete"},
		{"glab ci delete --status failed", Confirm, "forge.glab-delete"},
		{"glab schedule delete 3", Confirm, "forge.glab-delete"},
		{"glab label delete bug", Confirm, "forge.glab-delete"},
		{"glab token revoke ci-token", Confirm, "forge.glab-delete"},
		{`glab repo "$VERB" acme/api`, Confirm, "forge.unknown-subcommand"},
		// circleci
		{"circleci context delete github acme deploy-prod", Confirm, "forge.circleci-delete"},
		{"circleci context delete --org-id 1234 deploy-prod", Confirm, "forge.circleci-delete"},
		{"circleci context remove-secret github acme deploy-prod AWS_SECRET", Confirm, "forge.circleci-delete"},
		{"circleci namespace delete acme", Confirm, "forge.circleci-delete"},
		{"circleci orb unlist acme/deploy true", Confirm, "forge.circleci-delete"},
		// Jenkins
		{"java -jar jenkins-cli.jar -s https://ci.acme.dev/ -auth @creds delete-job api-deploy", Confirm, "forge.jenkins-delete"},
		{"java -jar ~/bin/jenkins-cli.jar -s http://localhost:8080 delete-builds api 1-200", Confirm, "forge.jenkins-delete"},
		{"java -jar jenkins-cli.jar -s https://ci.acme.dev/ delete-node build-agent-3", Confirm, "forge.jenkins-delete"},
		{"java -jar jenkins-cli.jar -s https://ci.acme.dev/ delete-credentials system::system::jenkins _ aws-prod", Confirm, "forge.jenkins-delete"},
		{"java -jar jenkins-cli.jar -s https://ci.acme.dev/ safe-shutdown", Confirm, "forge.jenkins-delete"},
		{"java -jar jenkins-cli.jar -s https://ci.acme.dev/ groovy = < script.groovy", Confirm, "forge.jenkins-delete"},
		{"jenkins-cli delete-view nightly", Confirm, "forge.jenkins-delete"},
		{"JENKINS_URL=https://ci.acme.dev java -jar jenkins-cli.jar clear-queue", Confirm, "forge.jenkins-delete"},
		// argocd
		{"argocd app delete shop-prod", Confirm, "forge.argocd-delete"},
		{"argocd app delete shop-prod --cascade=false -y", Confirm, "forge.argocd-delete"},
		{"argocd app delete -l team=payments -y", Confirm, "forge.argocd-delete"},
		{"argocd app delete-resource shop-prod --kind PersistentVolumeClaim --resource-name data", Confirm, "forge.argocd-delete"},
		{"argocd app sync shop-prod --prune", Confirm, "forge.argocd-delete"},
		{"argocd appset delete shop-envs", Confirm, "forge.argocd-delete"},
		{"argocd proj delete payments", Confirm, "forge.argocd-delete"},
		{"argocd repo rm https://gitlab.com/acme/deploy.git", Confirm, "forge.argocd-delete"},
		{"argocd cluster rm https://k8s.prod.acme.dev", Confirm, "forge.argocd-delete"},
		// GitLab server tools
		{"sudo gitlab-rake gitlab:backup:restore BACKUP=1718000000_2024_06_10", Confirm, "forge.gitlab-admin"},
		{"gitlab-backup restore BACKUP=1718000000_2024_06_10", Confirm, "forge.gitlab-admin"},
		{"gitlab-rake gitlab:cleanup:orphan_job_artifact_files DRY_RUN=false", Confirm, "forge.gitlab-admin"},
		{"gitlab-rake db:drop", Confirm, "forge.gitlab-admin"},
	}, ForgePack())
}

func TestForgeAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"glab mr list", Allow, ""},
		{"glab mr view 17", Allow, ""},
		{"glab mr create --title 'delete legacy code' --fill", Allow, ""},
		{"glab issue list --label bug", Allow, ""},
		{"glab ci status", Allow, ""},
		{"glab ci view", Allow, ""},
		{"glab repo clone acme/delete", Allow, ""},
		{"glab variable list", Allow, ""},
		{"glab variable get DEPLOY_TOKEN", Allow, ""},
		{"glab release list", Allow, ""},
		{"glab auth status", Allow, ""},
		{"circleci config validate", Allow, ""},
		{"circleci local execute build", Allow, ""},
		{"circleci context list github acme", Allow, ""},
		{"circleci orb list acme", Allow, ""},
		{"circleci orb unlist acme/deploy false", Allow, ""},
		{"java -jar build/libs/app.jar --server.port=8080", Allow, ""},
		{"java -version", Allow, ""},
		{"java -jar jenkins-cli.jar -s https://ci.acme.dev/ list-jobs", Allow, ""},
		{"java -jar jenkins-cli.jar -s https://ci.acme.dev/ build api-deploy -p ENV=staging", Allow, ""},
		{"java -jar jenkins-cli.jar -s https://ci.acme.dev/ console api-deploy", Allow, ""},
		{"argocd app list", Allow, ""},
		{"argocd app get shop-prod", Allow, ""},
		{"argocd app diff shop-prod", Allow, ""},
		{"argocd app sync shop-prod", Allow, ""},
		{"argocd app sync shop-prod --prune --dry-run", Allow, ""},
		{"argocd app history shop-prod", Allow, ""},
		{"argocd proj list", Allow, ""},
		{"argocd repo list", Allow, ""},
		{"argocd login argocd.acme.dev --sso", Allow, ""},
		{"gitlab-rake gitlab:check", Allow, ""},
		{"gitlab-rake gitlab:env:info", Allow, ""},
		{"gitlab-rake gitlab:cleanup:orphan_job_artifact_files DRY_RUN=true", Allow, ""},
		{"gitlab-backup create", Allow, ""},
	}, ForgePack())
}

func TestForgeReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"glab repo delete acme/api --yes", "forge.glab-delete", []string{"GitLab project acme/api", "merge requests"}},
		{"glab variable delete DEPLOY_TOKEN", "forge.glab-delete", []string{"variable DEPLOY_TOKEN of the GitLab project in /home/u/code/app"}},
		{"circleci context delete github acme deploy-prod", "forge.circleci-delete", []string{"context deploy-prod with every secret"}},
		{"java -jar jenkins-cli.jar -s https://ci.acme.dev/ delete-job api-deploy", "forge.jenkins-delete", []string{"jobs api-deploy on the Jenkins server https://ci.acme.dev/", "build history"}},
		{"argocd app delete shop-prod", "forge.argocd-delete", []string{"application shop-prod", "every Kubernetes resource"}},
		{"argocd app delete shop-prod --cascade=false", "forge.argocd-delete", []string{"left running"}},
		{"argocd app delete-resource shop --kind Secret --resource-name db", "forge.argocd-delete", []string{"resource Secret db of the Argo CD application shop"}},
	}, ForgePack())
}
