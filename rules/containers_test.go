package rules

import "testing"

func TestContainersFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// corpus/block.txt
		{"docker volume prune -f", Confirm, "containers.volume-prune"},
		{"docker volume rm $(docker volume ls -q)", Confirm, "containers.volume-rm"},
		{"docker compose down --volumes", Confirm, "containers.compose-down-volumes"},
		{"docker system prune --all --volumes --force", Confirm, "containers.volume-prune"},
		// other spellings and engines
		{"docker volume rm pgdata", Confirm, "containers.volume-rm"},
		{"docker volume remove -f pgdata cache", Confirm, "containers.volume-rm"},
		{"docker -H ssh://prod volume rm pgdata", Confirm, "containers.volume-rm"},
		{"docker --context prod volume rm pgdata", Confirm, "containers.volume-rm"},
		{"podman volume rm --all", Confirm, "containers.volume-rm"},
		{"nerdctl -n k8s.io volume rm data", Confirm, "containers.volume-rm"},
		{"docker volume prune -a --filter label=app", Confirm, "containers.volume-prune"},
		{"docker system prune --volumes", Confirm, "containers.volume-prune"},
		{"docker system prune -a --volumes -f", Confirm, "containers.volume-prune"},
		{"docker image prune --all --force", Confirm, "containers.prune-images"},
		{"docker compose down -v", Confirm, "containers.compose-down-volumes"},
		{"docker compose -f prod.yml -p shop down -v --remove-orphans", Confirm, "containers.compose-down-volumes"},
		{"docker compose --project-directory ../db down --volumes=true", Confirm, "containers.compose-down-volumes"},
		{"docker-compose down -v", Confirm, "containers.compose-down-volumes"},
		{"podman compose down -v", Confirm, "containers.compose-down-volumes"},
		{"podman-compose down --volumes", Confirm, "containers.compose-down-volumes"},
		{"docker compose rm -fsv db", Confirm, "containers.rm-volumes"},
		{"docker rm -v pg", Confirm, "containers.rm-volumes"},
		{"docker rm -fv pg", Confirm, "containers.rm-volumes"},
		{"docker container rm --volumes pg", Confirm, "containers.rm-volumes"},
		{"podman system reset -f", Confirm, "containers.system-reset"},
		{"podman machine rm -f", Confirm, "containers.system-reset"},
		{"docker stack rm shop", Confirm, "containers.stack-rm"},
		{"sudo docker volume rm data", Confirm, "containers.volume-rm"},
		{`docker "$CMD" pgdata`, Confirm, "containers.unknown-subcommand"},
		{"cd db && docker compose down -v", Confirm, "containers.compose-down-volumes"},
	}, ContainersPack())
}

func TestContainersAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// corpus/allow.txt
		{"docker ps -a", Allow, ""},
		{"docker images", Allow, ""},
		{"docker run --rm alpine echo hi", Allow, ""},
		{"docker compose up --build -d", Allow, ""},
		{"docker compose logs -f web", Allow, ""},
		{"docker compose stop", Allow, ""},
		{"docker volume ls", Allow, ""},
		{"docker compose down --remove-orphans", Allow, ""},
		// everyday work
		{"docker compose down", Allow, ""},
		{"docker compose down --volumes=false", Allow, ""},
		{"docker compose --dry-run down -v", Allow, ""},
		{"docker compose -f docker-compose.yml -f volumes.yml up -d", Allow, ""},
		{"docker-compose down --rmi local", Allow, ""},
		{"docker build -t app .", Allow, ""},
		{"docker run -v pgdata:/var/lib/postgresql/data postgres", Allow, ""},
		{"docker run --rm -v $(pwd):/src alpine rm -v x", Allow, ""},
		{"docker rm -f web", Allow, ""},
		{"docker rmi app:old", Allow, ""},
		{"docker system prune", Allow, ""},
		{"docker system prune -af", Allow, ""},
		{"podman system prune --all --force", Allow, ""},
		{"docker system prune -f", Allow, ""},
		{"docker image prune -f", Allow, ""},
		{"docker container prune -f", Allow, ""},
		{"docker builder prune -af", Allow, ""},
		{"docker volume create pgdata", Allow, ""},
		{"docker volume inspect pgdata", Allow, ""},
		{"docker system df", Allow, ""},
		{"docker -H tcp://rm:2375 ps", Allow, ""},
		{"docker exec -it pg psql -U postgres -c 'select 1'", Allow, ""},
		{"podman machine start", Allow, ""},
		{"podman system info", Allow, ""},
		{"docker stack deploy -c stack.yml shop", Allow, ""},
	}, ContainersPack())
}

func TestContainersReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"docker volume rm pgdata cache", "containers.volume-rm", []string{"Docker volumes pgdata and cache", "data"}},
		{"docker volume rm $(docker volume ls -q)", "containers.volume-rm", []string{"cannot be known", "possibly every volume"}},
		{"docker volume prune -f", "containers.volume-prune", []string{"every unused anonymous Docker volume"}},
		{"podman volume prune", "containers.volume-prune", []string{"every unused Podman volume"}},
		{"docker compose down -v", "containers.compose-down-volumes", []string{"Compose project in /home/u/code/app"}},
		{"docker compose -p shop down -v", "containers.compose-down-volumes", []string{"Compose project shop"}},
		{"cd db && docker compose down -v", "containers.compose-down-volumes", []string{"/home/u/code/app/db"}},
		{"docker -H ssh://prod volume rm pgdata", "containers.volume-rm", []string{"on host ssh://prod"}},
		{"docker image prune -a", "containers.prune-images", []string{"only on this machine"}},
		{"docker rm -v pg", "containers.rm-volumes", []string{"container pg", "anonymous volumes"}},
	}, ContainersPack())
}
