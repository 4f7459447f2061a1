package interceptor

import (
	"path"
	"strings"
)

// hostingChannels follows the channels through which a hosting or cloud
// CLI runs code somewhere else: shell commands on the platform's machines
// (heroku run, fly ssh console -C, railway ssh, gcloud compute ssh
// --command, aws ssm send-command, az vm run-command, kubectl run/debug --
// CMD) are analysed as code run on that remote, as "ssh HOST CMD" is; SQL
// sent to the platform's database (heroku pg:psql -c/-f/stdin, railway
// connect < file, fly postgres connect, wrangler d1 execute, prisma db
// execute, typeorm query, manage.py dbshell) becomes an invocation of the
// database client there, for the sql pack.
func (w *walker) hostingChannels(inv Invocation, st *state) {
	args := inv.Args
	sub := func(i int) string {
		if i < len(args) {
			return args[i].Value
		}
		return ""
	}
	switch inv.Name {
	case "heroku":
		app := appName(args, "-a", "--app")
		switch sub(0) {
		case "run", "run:detached", "run:inside":
			spec := optSpec{short: "aresx", long: []string{"--app", "--remote", "--size", "--env", "--type"}}
			if i, _, more := skipOptions(args[1:], spec); more {
				w.remoteArgv(inv, st, "heroku run"+app, args[1+i:])
			}
		case "pg:psql", "psql":
			w.remoteSQL(inv, st, "psql", "heroku pg:psql"+app, args[1:], "-c", "--command", "-f", "--file")
		}
	case "railway":
		switch sub(0) {
		case "ssh":
			if i, _, more := skipOptions(args[1:], optSpec{short: "spe", long: []string{"--service", "--project", "--environment"}}); more {
				w.remoteArgv(inv, st, "railway ssh", args[1+i:])
			}
		case "connect":
			client := "psql"
			for _, a := range args[1:] {
				switch v := strings.ToLower(a.Value); {
				case strings.Contains(v, "mysql"):
					client = "mysql"
				case strings.Contains(v, "redis"):
					client = "redis-cli"
				case strings.Contains(v, "mongo"):
					client = "mongosh"
				}
			}
			w.remoteSQL(inv, st, client, "railway connect", nil)
		}
	case "fly", "flyctl":
		app := appName(args, "-a", "--app")
		switch {
		case sub(0) == "ssh" && sub(1) == "console":
			if cmd, ok := longOrShort(args[2:], "--command", "-C"); ok {
				w.remoteString(inv, st, "fly ssh console"+app, cmd)
			}
		case sub(0) == "machine" && sub(1) == "exec" && len(args) > 3:
			w.remoteString(inv, st, "fly machine exec"+app, args[len(args)-1])
		case (sub(0) == "postgres" || sub(0) == "pg") && sub(1) == "connect":
			w.remoteSQL(inv, st, "psql", "fly postgres connect"+app, nil)
		}
	case "wrangler":
		if sub(0) == "d1" && sub(1) == "execute" && len(args) > 2 {
			where := "Cloudflare D1 " + args[2].Value
			if hasWord(args, "--local") && !hasWord(args, "--remote") {
				where += " (local)"
			}
			w.remoteSQL(inv, st, "sqlite3", where, args[3:], "--command", "--command", "--file", "--file")
		}
	case "gcloud":
		if sub(0) == "compute" && sub(1) == "ssh" {
			if cmd, ok := longOrShort(args[2:], "--command", ""); ok {
				w.remoteString(inv, st, "gcloud compute ssh "+firstPlain(args[2:]), cmd)
			}
		}
	case "doctl":
		if sub(0) == "compute" && sub(1) == "ssh" {
			if cmd, ok := longOrShort(args[2:], "--ssh-command", ""); ok {
				w.remoteString(inv, st, "doctl compute ssh "+firstPlain(args[2:]), cmd)
			}
		}
	case "aws":
		if sub(0) == "ssm" && sub(1) == "send-command" {
			if p, ok := longOrShort(args[2:], "--parameters", ""); ok {
				for _, cmd := range ssmCommands(p) {
					w.remoteString(inv, st, "aws ssm send-command", cmd)
				}
			}
		}
	case "az":
		if sub(0) == "vm" && sub(1) == "run-command" {
			for i := 2; i < len(args); i++ {
				if args[i].Value == "--scripts" {
					for i++; i < len(args) && !strings.HasPrefix(args[i].Value, "--"); i++ {
						w.remoteString(inv, st, "az vm run-command", args[i])
					}
				}
			}
		}
	case "kubectl", "oc":
		if sub(0) == "run" || sub(0) == "debug" {
			for i, a := range args {
				if a.Value == "--" && i+1 < len(args) {
					w.remoteArgv(inv, st, inv.Name+" "+sub(0)+" "+firstPlain(args[1:]), args[i+1:])
					break
				}
			}
		}
	case "npx", "pnpx", "bunx":
		tool, rest := npxTool(args)
		switch {
		case tool == "prisma" && len(rest) > 1 && rest[0].Value == "db" && rest[1].Value == "execute":
			w.remoteSQL(inv, st, "psql", "prisma db execute", rest[2:], "", "", "--file", "--file")
		case tool == "typeorm" && len(rest) > 1 && rest[0].Value == "query":
			w.remoteSQLText(inv, st, "psql", "typeorm query", rest[1])
		}
	case "python", "python3":
		if len(args) > 1 && path.Base(args[0].Value) == "manage.py" && args[1].Value == "dbshell" {
			w.remoteSQL(inv, st, "psql", "manage.py dbshell", nil)
		}
	case "manage.py":
		if sub(0) == "dbshell" {
			w.remoteSQL(inv, st, "psql", "manage.py dbshell", nil)
		}
	}
}

// appName returns " (app NAME)" for the app option of a platform CLI, or "".
func appName(args []Word, short, long string) string {
	if v, ok := longOrShort(args, long, short); ok && v.Value != "" {
		return " (app " + v.String() + ")"
	}
	return ""
}

// firstPlain returns the first operand that is not an option.
func firstPlain(args []Word) string {
	for _, a := range args {
		if !strings.HasPrefix(a.Value, "-") {
			return a.String()
		}
	}
	return ""
}

func hasWord(args []Word, flag string) bool {
	for _, a := range args {
		if a.Value == flag {
			return true
		}
	}
	return false
}

// npxTool returns the package a package runner runs and its arguments.
func npxTool(args []Word) (string, []Word) {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "-p" || v == "--package":
			i++
		case strings.HasPrefix(v, "-"):
		default:
			name := v
			if at := strings.LastIndexByte(name, '@'); at > 0 {
				name = name[:at]
			}
			return name, args[i+1:]
		}
	}
	return "", nil
}

// ssmCommands returns the shell commands of "aws ssm send-command
// --parameters": the shorthand commands=CMD or commands=["A","B"], or JSON
// {"commands":["A"]}.
func ssmCommands(p Word) []Word {
	v := strings.TrimSpace(p.Value)
	if strings.HasPrefix(v, "{") {
		if _, after, ok := strings.Cut(v, `"commands"`); ok {
			v = "commands=" + strings.TrimLeft(strings.TrimSpace(after), ":")
		}
	}
	_, list, ok := strings.Cut(v, "commands=")
	if !ok {
		return nil
	}
	list = strings.TrimSpace(list)
	if !strings.HasPrefix(list, "[") {
		return []Word{{Value: list, Unknown: p.Unknown}}
	}
	list = strings.TrimPrefix(list, "[")
	if end := strings.LastIndexByte(list, ']'); end >= 0 {
		list = list[:end]
	}
	var out []Word
	for _, item := range splitQuoted(list) {
		out = append(out, Word{Value: item, Unknown: p.Unknown})
	}
	return out
}

// splitQuoted splits a comma-separated list of double-quoted strings (JSON
// escapes \" and \\ only).
func splitQuoted(s string) []string {
	var out []string
	var b strings.Builder
	in, esc := false, false
	for _, r := range s {
		switch {
		case esc:
			b.WriteRune(r)
			esc = false
		case in && r == '\\':
			esc = true
		case r == '"':
			in = !in
			if !in {
				out = append(out, b.String())
				b.Reset()
			}
		case in:
			b.WriteRune(r)
		}
	}
	return out
}

// remoteState is the state of code run on a remote: nothing of this
// machine's shell is known there.
func remoteState(st *state, where string) *state {
	n := st.nested(where)
	n.remote, n.cwd, n.home, n.vars, n.funcs, n.args = where, "", "", nil, nil, nil
	return n
}

// remoteString analyses a command string run by a shell on a remote.
func (w *walker) remoteString(inv Invocation, st *state, where string, src Word) {
	n := remoteState(st, where)
	if src.Unknown {
		w.a.unknown(n, inv.Text, where+" runs a command that cannot be known ("+src.String()+")")
		return
	}
	w.a.script(src.Value, n)
}

// remoteArgv analyses a command given as words, run on a remote (by a
// shell there, as ssh does).
func (w *walker) remoteArgv(inv Invocation, st *state, where string, argv []Word) {
	w.remoteString(inv, st, where, joinWords(argv))
}

// remoteSQL emits the database client a platform command runs on its
// database, with the SQL it sends: the value of the command options
// (cmdShort, cmdLong), the content of the file options (fileShort,
// fileLong), read here as the platform CLI reads them, or its stdin.
func (w *walker) remoteSQL(inv Invocation, st *state, client, where string, args []Word, opts ...string) {
	var cmdShort, cmdLong, fileShort, fileLong string
	if len(opts) == 4 {
		cmdShort, cmdLong, fileShort, fileLong = opts[0], opts[1], opts[2], opts[3]
	}
	if cmdLong != "" {
		if sql, ok := longOrShort(args, cmdLong, shortOpt(cmdShort)); ok {
			w.remoteSQLText(inv, st, client, where, sql)
			return
		}
	}
	if fileLong != "" {
		if f, ok := longOrShort(args, fileLong, shortOpt(fileShort)); ok {
			s := w.readFile(f, st)
			w.emitSQL(inv, st, client, where, *s)
			return
		}
	}
	if inv.Stdin != nil {
		w.emitSQL(inv, st, client, where, *inv.Stdin)
	}
}

// shortOpt keeps a short option, dropping one that is a long option too.
func shortOpt(o string) string {
	if strings.HasPrefix(o, "--") {
		return ""
	}
	return o
}

// remoteSQLText emits the client running sql.
func (w *walker) remoteSQLText(inv Invocation, st *state, client, where string, sql Word) {
	w.emitSQL(inv, st, client, where, Stream{Known: !sql.Unknown, Data: sql.Value, From: where})
}

// emitSQL emits the client reading its SQL from s, run on where.
func (w *walker) emitSQL(inv Invocation, st *state, client, where string, s Stream) {
	if s.From == "" {
		s.From = where
	}
	chain := append(append([]string(nil), st.chain...), where)
	var args []Word
	if client == "sqlite3" {
		args = []Word{{Value: where}} // the database, named for messages
	}
	w.a.emit(Invocation{Name: client, Path: client, Args: args, Text: inv.Text, Stdin: &s, Chain: chain, Remote: where,
		Injects: inv.Injects})
}
