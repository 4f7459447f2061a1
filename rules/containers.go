package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// ContainersPack returns the rules about container engines (docker, podman,
// nerdctl) and Compose (docker compose, docker-compose, podman compose,
// podman-compose): commands that delete volumes, which hold the data of the
// databases developers run in containers, or that reset a whole engine.
//
// Decisions, documented because each is a trade-off:
//   - volume rm, volume prune, system prune --volumes, compose down -v,
//     rm -v (a container's anonymous volumes): confirm, they delete data.
//   - system prune and image prune without -a: allowed. They remove stopped
//     containers, unused networks, dangling images and build cache, all of
//     which can be rebuilt; this is everyday disk cleanup.
//   - system prune -a without --volumes: allowed, the everyday "free my
//     disk" an agent runs; images come back from their registry or build.
//   - image prune -a: confirm (containers.prune-images), a softer reason:
//     asked for on its own, it is about the images, and every image no
//     container uses goes, including images built or committed only on
//     this machine.
//   - podman system reset, podman machine rm/reset: confirm, everything goes.
//   - docker stack rm: confirm, it removes a running Swarm application.
//   - rm -f, rmi, stop, down without -v, compose down --remove-orphans:
//     allowed; volumes survive them.
//
// The engine's global options (-H, --context, -c, --host, --log-level...)
// are skipped before the subcommand; Compose's (-f, -p, --profile,
// --project-directory...) before its own. A Compose --dry-run reports
// nothing. What "docker exec CTR CMD" runs is analysed by the interceptor.
func ContainersPack() *Pack {
	return &Pack{
		Name:     "containers",
		Commands: []string{"docker", "podman", "nerdctl", "docker-compose", "podman-compose"},
		Check:    ctrCheck,
		Rules: []Rule{
			{ID: "containers.volume-rm", Default: Confirm, Summary: "volume rm: deletes container volumes and the data in them"},
			{ID: "containers.volume-prune", Default: Confirm, Summary: "volume prune, system prune --volumes: deletes every unused volume and its data"},
			{ID: "containers.compose-down-volumes", Default: Confirm, Summary: "compose down -v/--volumes: deletes the volumes of a Compose project"},
			{ID: "containers.rm-volumes", Default: Confirm, Summary: "rm -v/--volumes: deletes the anonymous volumes of the containers removed"},
			{ID: "containers.prune-images", Default: Confirm, Summary: "system/image prune -a: deletes every image no container uses, including images that exist only on this machine"},
			{ID: "containers.system-reset", Default: Confirm, Summary: "podman system reset, podman machine rm/reset: deletes every container, image and volume"},
			{ID: "containers.stack-rm", Default: Confirm, Summary: "docker stack rm: removes a running Swarm stack and its services"},
			{ID: "containers.unknown-subcommand", Default: Confirm, Summary: "container engine subcommand that cannot be known statically"},
		},
	}
}

// ctrEngineSpec is how docker, podman and nerdctl spell their global
// options, before the subcommand.
func ctrEngineSpec() cliSpec {
	return cliSpec{
		short: "cHlna",
		long: []string{
			"--config", "--context", "--host", "--log-level", "--tlscacert", "--tlscert", "--tlskey",
			"--connection", "--url", "--identity", "--root", "--runroot", "--storage-driver",
			"--storage-opt", "--cgroup-manager", "--conmon", "--events-backend", "--hooks-dir",
			"--imagestore", "--module", "--network-cmd-path", "--network-config-dir", "--out",
			"--registries-conf", "--runtime", "--runtime-flag", "--ssh", "--tmpdir", "--volumepath",
			"--address", "--namespace", "--snapshotter", "--cni-path", "--cni-netconfpath",
			"--data-root", "--host-gateway-ip", "--hosts-dir", "--bridge-ip",
		},
		stop: true,
	}
}

// ctrComposeSpec is how Compose spells its global options, before its
// subcommand.
func ctrComposeSpec() cliSpec {
	return cliSpec{
		short: "fpcH",
		long: []string{
			"--file", "--project-name", "--profile", "--env-file", "--project-directory", "--ansi",
			"--parallel", "--progress", "--context", "--host", "--log-level", "--podman-path",
			"--podman-args", "--podman-run-args", "--in-pod",
		},
		stop: true,
	}
}

// ctrSubSpec is how the subcommands this pack reads spell their options.
func ctrSubSpec() cliSpec {
	return cliSpec{short: "t", long: []string{"--filter", "--rmi", "--timeout", "--time", "--depend"}}
}

// ctrEngineName returns the product name for reasons.
func ctrEngineName(cmd string) string {
	switch cmd {
	case "podman", "podman-compose":
		return "Podman"
	case "nerdctl":
		return "nerdctl"
	}
	return "Docker"
}

// ctrCheck judges a container engine or Compose command.
func ctrCheck(c *Call) {
	inv := c.Inv
	if inv.Name == "docker-compose" || inv.Name == "podman-compose" {
		ctrCompose(c, inv.Args, "")
		return
	}
	g := cliParse(inv.Args, ctrEngineSpec())
	where := ctrWhere(inv, g)
	if len(g.rest) == 0 {
		return
	}
	sub, args := g.rest[0], g.rest[1:]
	if sub.Unknown {
		c.Report("containers.unknown-subcommand", "runs a "+inv.Name+" subcommand that cannot be known before it runs ("+inv.Name+" "+sub.String()+")")
		return
	}
	engine := ctrEngineName(inv.Name)
	a := cliParse(args, ctrSubSpec())
	verb := a.op(0)
	switch sub.Value {
	case "compose":
		ctrCompose(c, args, where)
	case "volume":
		if verb.Unknown {
			c.Report("containers.unknown-subcommand", "runs "+inv.Name+" volume "+verb.String()+", whose action cannot be known before it runs")
			return
		}
		switch verb.Value {
		case "rm", "remove":
			if a.on("-a", "--all") {
				c.Report("containers.volume-rm", "deletes every "+engine+" volume and all the data in it"+where)
				return
			}
			what, n := ctrVolumes(engine, a.operands[1:])
			c.Report("containers.volume-rm", "deletes "+what+" and all the data in "+ctrNoun(n, "it", "them")+where)
		case "prune":
			c.Report("containers.volume-prune", "deletes every unused "+ctrPruneScope(inv.Name, a)+engine+" volume"+ctrFilter(a)+" and all the data in it"+where)
		}
	case "system":
		switch verb.Value {
		case "prune":
			ctrSystemPrune(c, engine, inv.Name, a, where)
		case "reset":
			if inv.Name == "podman" {
				c.Report("containers.system-reset", "deletes every Podman container, image, volume and network of this user, with all their data"+where)
			}
		}
	case "image":
		if verb.Value == "prune" && a.on("-a", "--all") {
			c.Report("containers.prune-images", "deletes every "+engine+" image that no container uses"+ctrFilter(a)+", including images built or committed only on this machine"+where)
		}
	case "container":
		if verb.Value == "rm" || verb.Value == "remove" {
			ctrRm(c, engine, a, 1, where)
		}
	case "rm":
		ctrRm(c, engine, a, 0, where)
	case "machine":
		if inv.Name == "podman" && (verb.Value == "rm" || verb.Value == "reset") {
			what := "every Podman machine"
			if verb.Value == "rm" {
				what = "the Podman machine " + cliJoin(a.ops(1), "podman-machine-default")
			}
			c.Report("containers.system-reset", "deletes "+what+" with every container, image and volume inside it"+where)
		}
	case "stack":
		switch verb.Value {
		case "rm", "remove", "down":
			c.Report("containers.stack-rm", "removes the Docker Swarm "+ctrNoun(len(a.operands)-1, "stack", "stacks")+" "+cliList(a.ops(1))+" and all their services"+where)
		}
	}
}

// ctrWhere names the engine a command talks to when it is not the local
// default: " (on host tcp://x)", " (context prod)".
func ctrWhere(inv *interceptor.Invocation, g cliArgs) string {
	var parts []string
	if ctx := g.str("-c", "--context", "--connection"); ctx != "" {
		parts = append(parts, "context "+ctx)
	}
	host := g.str("-H", "--host", "--url")
	if host == "" {
		host = inv.Assigns["DOCKER_HOST"]
	}
	if host != "" {
		parts = append(parts, "on host "+host)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// ctrNoun picks the singular or plural noun for n.
func ctrNoun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ctrVolumes describes the volumes named by the operands of volume rm, and
// how many there are (more than one when that cannot be known).
func ctrVolumes(engine string, names []interceptor.Word) (string, int) {
	if len(names) == 0 {
		return "the " + engine + " volumes named on its input", 2
	}
	var known []string
	unknown := false
	for _, w := range names {
		if w.Unknown {
			unknown = true
		}
		known = append(known, w.String())
	}
	if unknown {
		return engine + " volumes whose names cannot be known before it runs (" + strings.Join(known, " ") + "; possibly every volume)", 2
	}
	return "the " + engine + " " + ctrNoun(len(known), "volume", "volumes") + " " + cliList(known), len(known)
}

// ctrPruneScope says which unused volumes "volume prune" deletes: since
// Docker 23 only anonymous ones unless -a is given; podman and nerdctl
// delete every unused volume.
func ctrPruneScope(cmd string, a cliArgs) string {
	if cmd == "docker" && !a.on("-a", "--all") {
		return "anonymous "
	}
	return ""
}

// ctrFilter describes prune filters: " matching label=x".
func ctrFilter(a cliArgs) string {
	if f := a.all("--filter"); len(f) > 0 {
		return " matching " + strings.Join(f, ", ")
	}
	return ""
}

// ctrSystemPrune judges "system prune": with --volumes it deletes volumes;
// without, only what can be pulled or rebuilt (with -a, every unused image).
func ctrSystemPrune(c *Call, engine, cmd string, a cliArgs, where string) {
	all := a.on("-a", "--all")
	switch {
	case a.on("--volumes"):
		what := "every stopped " + engine + " container, unused network, dangling image and build cache, and every unused " + ctrPruneScope(cmd, a) + "volume" + ctrFilter(a) + " with all the data in it"
		if all {
			what = "every stopped " + engine + " container, unused network, unused image and build cache, and every unused " + ctrPruneScope(cmd, a) + "volume" + ctrFilter(a) + " with all the data in it"
		}
		c.Report("containers.volume-prune", "deletes "+what+where)
	}
}

// ctrRm judges "rm" of containers: with -v the anonymous volumes of the
// containers go too. names start at operand from.
func ctrRm(c *Call, engine string, a cliArgs, from int, where string) {
	if !a.on("-v", "--volumes") {
		return
	}
	names := a.ops(from)
	what := "the " + engine + " " + ctrNoun(len(names), "container", "containers") + " " + cliList(names)
	if len(names) == 0 {
		what = "the " + engine + " containers named on its input"
	}
	c.Report("containers.rm-volumes", "deletes "+what+" with "+ctrNoun(len(names), "its", "their")+" anonymous volumes and all the data in them"+where)
}

// ctrCompose judges a Compose command; args start after "compose" (or are
// all of docker-compose's).
func ctrCompose(c *Call, args []interceptor.Word, where string) {
	g := cliParse(args, ctrComposeSpec())
	if len(g.rest) == 0 || g.on("--dry-run") {
		return
	}
	sub := g.rest[0]
	if sub.Unknown {
		c.Report("containers.unknown-subcommand", "runs a Compose subcommand that cannot be known before it runs ("+sub.String()+")")
		return
	}
	a := cliParse(g.rest[1:], ctrSubSpec())
	if a.on("--dry-run") {
		return
	}
	project := ctrProject(c.Inv, g)
	switch sub.Value {
	case "down":
		if a.on("-v", "--volumes") {
			c.Report("containers.compose-down-volumes", "deletes the volumes of "+project+" (the named volumes its compose file declares and the anonymous volumes of its containers) with all the data in them"+where)
		}
	case "rm":
		if a.on("-v", "--volumes") {
			svc := "its stopped containers"
			if len(a.operands) > 0 {
				svc = "the stopped containers of " + cliList(a.ops(0))
			}
			c.Report("containers.rm-volumes", "deletes the anonymous volumes of "+svc+" in "+project+" with all the data in them"+where)
		}
	}
}

// ctrProject names the Compose project a command acts on: by -p, by its
// files, or by the directory it runs in.
func ctrProject(inv *interceptor.Invocation, g cliArgs) string {
	if p := g.str("-p", "--project-name"); p != "" {
		return "the Compose project " + p
	}
	if p, ok := inv.Assigns["COMPOSE_PROJECT_NAME"]; ok {
		return "the Compose project " + p
	}
	if f := g.all("-f", "--file"); len(f) > 0 {
		return "the Compose project of " + cliList(f)
	}
	dir := inv.Cwd
	if d, ok := g.get("--project-directory"); ok {
		dir = inv.Resolve(d.Value)
	}
	if dir == "" {
		return "the Compose project of a directory that cannot be known before it runs"
	}
	return "the Compose project in " + dir
}
