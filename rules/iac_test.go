package rules

import "testing"

func TestIaCFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// corpus/block.txt
		{"terraform destroy", Confirm, "iac.destroy"},
		{"terraform destroy -target=aws_db_instance.main -auto-approve", Confirm, "iac.destroy"},
		{"terraform apply -destroy", Confirm, "iac.destroy"},
		{"tofu apply -destroy -auto-approve", Confirm, "iac.destroy"},
		{"pulumi destroy -s prod -y", Confirm, "iac.destroy"},
		{"pulumi stack rm prod --force", Confirm, "iac.workspace-delete"},
		{"cdk destroy --all --force", Confirm, "iac.destroy"},
		{"terraform state rm module.db", Confirm, "iac.state-rm"},
		{"terragrunt run-all destroy", Confirm, "iac.destroy"},
		{"sudo -E terraform destroy -auto-approve", Confirm, "iac.destroy"},
		{"echo dGVycmFmb3JtIGRlc3Ryb3kgLWF1dG8tYXBwcm92ZQ== | base64 --decode | bash", Confirm, "iac.destroy"},
		// other spellings and orders
		{"terraform -chdir=infra destroy", Confirm, "iac.destroy"},
		{"terraform -chdir infra destroy -auto-approve", Confirm, "iac.destroy"},
		{"terraform apply -auto-approve --destroy", Confirm, "iac.destroy"},
		{"terraform apply -var env=prod -destroy=true", Confirm, "iac.destroy"},
		{"terraform apply -target aws_s3_bucket.logs -destroy", Confirm, "iac.destroy"},
		{"terraform apply -replace=aws_db_instance.main", Confirm, "iac.replace"},
		{"terraform state rm 'aws_s3_bucket.b[\"x\"]' module.db", Confirm, "iac.state-rm"},
		{"terraform state push -force old.tfstate", Confirm, "iac.state-push"},
		{"terraform workspace delete -force staging", Confirm, "iac.workspace-delete"},
		{"TF_WORKSPACE=prod terraform destroy", Confirm, "iac.destroy"},
		{"cd infra && terraform destroy", Confirm, "iac.destroy"},
		{"tofu destroy -auto-approve", Confirm, "iac.destroy"},
		{"terragrunt destroy --terragrunt-working-dir live/prod", Confirm, "iac.destroy"},
		{"terragrunt run --all destroy", Confirm, "iac.destroy"},
		{"terragrunt run --all -- destroy", Confirm, "iac.destroy"},
		{"terragrunt run-all apply -destroy --terragrunt-non-interactive", Confirm, "iac.destroy"},
		{"terragrunt destroy-all", Confirm, "iac.destroy"},
		{"pulumi down --yes", Confirm, "iac.destroy"},
		{"pulumi -C infra destroy --stack=prod --skip-preview", Confirm, "iac.destroy"},
		{"pulumi destroy --target urn:pulumi:prod::app::aws:rds/instance:Instance::db", Confirm, "iac.destroy"},
		{"pulumi up --replace urn:pulumi:prod::app::aws:rds/instance:Instance::db", Confirm, "iac.replace"},
		{"pulumi state delete urn:pulumi:prod::app::aws:s3/bucket:Bucket::b", Confirm, "iac.state-rm"},
		{"cdk destroy ApiStack", Confirm, "iac.destroy"},
		{"npx cdk destroy --all -f", Confirm, "iac.destroy"},
		{"npx aws-cdk@2 destroy", Confirm, "iac.destroy"},
		{"cdktf destroy --auto-approve", Confirm, "iac.destroy"},
		{"npx sst remove --stage production", Confirm, "iac.destroy"},
		{"serverless remove --stage prod", Confirm, "iac.destroy"},
		{"sls remove", Confirm, "iac.destroy"},
		{`terraform "$ACTION" -auto-approve`, Confirm, "iac.unknown-subcommand"},
		// applies no one reviewed
		{"terraform apply -auto-approve", Confirm, "iac.unreviewed-apply"},
		{"terraform -chdir=infra apply -auto-approve -var-file=prod.tfvars", Confirm, "iac.unreviewed-apply"},
		{"tofu apply --auto-approve", Confirm, "iac.unreviewed-apply"},
		{"pulumi up --yes", Confirm, "iac.unreviewed-apply"},
		{"pulumi up -y -s prod", Confirm, "iac.unreviewed-apply"},
	}, IaCPack())
}

func TestIaCAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// corpus/allow.txt
		{"terraform show", Allow, ""},
		{"terraform output", Allow, ""},
		{"terraform state list", Allow, ""},
		{"terraform init -upgrade", Allow, ""},
		{"pulumi preview", Allow, ""},
		{`printf 'terraform destroy\n' >> docs/dangerous.txt`, Allow, ""},
		// everyday work
		{"terraform plan", Allow, ""},
		{"terraform plan -destroy", Allow, ""},
		{"terraform plan -destroy -out=destroy.tfplan", Allow, ""},
		{"terraform plan -replace=aws_instance.web", Allow, ""},
		{"terraform apply", Allow, ""},
		{"terraform apply -destroy=false", Allow, ""},
		{"terraform apply -auto-approve prod.tfplan", Allow, ""},
		{"terraform apply -target destroy", Allow, ""},
		{"terraform fmt -recursive", Allow, ""},
		{"terraform validate", Allow, ""},
		{"terraform state show aws_instance.web", Allow, ""},
		{"terraform state rm -dry-run module.db", Allow, ""},
		{"terraform workspace select prod", Allow, ""},
		{"terraform import aws_s3_bucket.b my-bucket", Allow, ""},
		{"terragrunt run-all plan", Allow, ""},
		{"terragrunt apply", Allow, ""},
		{"tofu init", Allow, ""},
		{"pulumi up", Allow, ""},
		{"pulumi destroy --preview-only", Allow, ""},
		{"pulumi stack ls", Allow, ""},
		{"pulumi stack select prod", Allow, ""},
		{"pulumi config set aws:region us-east-1", Allow, ""},
		{"cdk deploy --all", Allow, ""},
		{"cdk diff", Allow, ""},
		{"npx cdk synth", Allow, ""},
		{"sst deploy --stage dev", Allow, ""},
		{"npx vitest run", Allow, ""},
		{"npm run build", Allow, ""},
		{"echo terraform destroy", Allow, ""},
	}, IaCPack())
}

func TestIaCReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"terraform destroy", "iac.destroy", []string{"destroys every resource of the Terraform state in /home/u/code/app"}},
		{"terraform -chdir=infra destroy", "iac.destroy", []string{"Terraform state in /home/u/code/app/infra"}},
		{"cd infra && tofu apply -destroy", "iac.destroy", []string{"OpenTofu state in /home/u/code/app/infra"}},
		{"TF_WORKSPACE=prod terraform destroy", "iac.destroy", []string{"workspace prod"}},
		{"terraform destroy -target=aws_db_instance.main -auto-approve", "iac.destroy", []string{"destroys aws_db_instance.main and every resource that depends on it"}},
		{"terraform state rm module.db", "iac.state-rm", []string{"removes module.db from the Terraform state", "unmanaged"}},
		{"terraform workspace delete staging", "iac.workspace-delete", []string{"workspace staging"}},
		{"terragrunt run-all destroy", "iac.destroy", []string{"every Terragrunt module under /home/u/code/app"}},
		{"pulumi destroy -s prod -y", "iac.destroy", []string{"every resource of the Pulumi stack prod"}},
		{"pulumi stack rm prod --force", "iac.workspace-delete", []string{"Pulumi stack prod", "unmanaged"}},
		{"cdk destroy --all --force", "iac.destroy", []string{"every AWS CDK stack"}},
		{"terraform apply -replace=aws_db_instance.main", "iac.replace", []string{"destroys aws_db_instance.main and creates it again"}},
	}, IaCPack())
}
