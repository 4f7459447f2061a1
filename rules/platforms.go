package rules

import (
	"slices"
	"strings"
)

// A Platform is a production platform whose API guard knows: a request to
// it that can write needs a human's yes, whatever its method or operation
// is called, because one authenticated write there (the incident's one
// GraphQL mutation) can destroy production and its backups.
type Platform struct {
	// Name is the platform, for reasons and guard rules.
	Name string
	// Hosts are its API hosts; "*." matches one label.
	Hosts []string
}

// Platforms returns the production platforms guard ships, the hosts of
// their management and data APIs. The policy's [hosts] production adds to
// them. Listed so that guard rules can show them; each call returns a copy
// of the list, which the caller may change.
func Platforms() []Platform {
	out := slices.Clone(shippedPlatforms)
	for i := range out {
		out[i].Hosts = slices.Clone(out[i].Hosts)
	}
	return out
}

// shippedPlatforms is the list Platforms copies: a literal of constants,
// laid out by the compiler as static data, so nothing builds it at
// start-up or on a lookup (platformOf). Nothing modifies it.
var shippedPlatforms = []Platform{
	{"Railway", []string{"backboard.railway.app", "backboard.railway.com", "api.railway.app"}},
	{"Fly.io", []string{"api.fly.io", "api.machines.dev"}},
	{"Heroku", []string{"api.heroku.com"}},
	{"Render", []string{"api.render.com"}},
	{"Vercel", []string{"api.vercel.com"}},
	{"Netlify", []string{"api.netlify.com"}},
	{"Supabase", []string{"api.supabase.com", "*.supabase.co"}},
	{"Neon", []string{"console.neon.tech"}},
	{"PlanetScale", []string{"api.planetscale.com"}},
	{"Turso", []string{"api.turso.tech", "*.turso.io"}},
	{"Cloudflare", []string{"api.cloudflare.com"}},
	{"DigitalOcean", []string{"api.digitalocean.com"}},
	{"Hetzner", []string{"api.hetzner.cloud"}},
	{"Linode", []string{"api.linode.com"}},
	{"Vultr", []string{"api.vultr.com"}},
	{"AWS", []string{"*.amazonaws.com", "*.*.amazonaws.com", "*.*.*.amazonaws.com"}},
	{"Google Cloud", []string{"compute.googleapis.com", "container.googleapis.com", "sqladmin.googleapis.com",
		"storage.googleapis.com", "run.googleapis.com", "cloudfunctions.googleapis.com",
		"cloudresourcemanager.googleapis.com", "iam.googleapis.com", "firestore.googleapis.com",
		"bigquery.googleapis.com", "spanner.googleapis.com", "redis.googleapis.com", "file.googleapis.com",
		"secretmanager.googleapis.com", "firebase.googleapis.com", "firebasedatabase.googleapis.com"}},
	{"Azure", []string{"management.azure.com", "*.blob.core.windows.net", "*.database.windows.net"}},
	{"GitHub", []string{"api.github.com", "uploads.github.com"}},
	{"GitLab", []string{"gitlab.com"}},
	{"Stripe", []string{"api.stripe.com"}},
	{"Algolia", []string{"*.algolia.net", "*.algolianet.com"}},
	{"Firebase", []string{"*.firebaseio.com", "*.firebasedatabase.app"}},
	{"Sanity", []string{"api.sanity.io", "*.api.sanity.io"}},
	{"Hasura Cloud", []string{"*.hasura.app", "data.pro.hasura.io"}},
	{"MongoDB Atlas", []string{"cloud.mongodb.com", "*.data.mongodb-api.com"}},
	{"Upstash", []string{"api.upstash.com", "*.upstash.io"}},
	{"Pinecone", []string{"api.pinecone.io", "*.pinecone.io"}},
	{"Elastic Cloud", []string{"api.elastic-cloud.com", "*.cloud.es.io", "*.es.io"}},
	{"Docker Hub", []string{"hub.docker.com"}},
}

// platformOf returns the name of the shipped production platform host
// belongs to, or "".
func platformOf(host string) string {
	domain, ok := platformDomain(host)
	if !ok {
		return ""
	}
	for _, p := range shippedPlatforms {
		for _, h := range p.Hosts {
			if strings.HasSuffix(h, domain) && hostMatches([]string{h}, host) {
				return p.Name
			}
		}
	}
	return ""
}

// platformDomain returns the domain (the last two labels) of host and
// whether one of the platforms' hosts is under it: the cheap test before
// the patterns.
func platformDomain(host string) (string, bool) {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	i := strings.LastIndexByte(host, '.')
	if i <= 0 {
		return "", false
	}
	if j := strings.LastIndexByte(host[:i], '.'); j >= 0 {
		host = host[j+1:]
	}
	switch host {
	case "railway.app", "railway.com", "fly.io", "machines.dev", "heroku.com", "render.com", "vercel.com",
		"netlify.com", "supabase.com", "supabase.co", "neon.tech", "planetscale.com", "turso.tech", "turso.io",
		"cloudflare.com", "digitalocean.com", "hetzner.cloud", "linode.com", "vultr.com", "amazonaws.com",
		"googleapis.com", "azure.com", "windows.net", "github.com", "gitlab.com", "stripe.com", "algolia.net",
		"algolianet.com", "firebaseio.com", "firebasedatabase.app", "sanity.io", "hasura.app", "hasura.io",
		"mongodb.com", "mongodb-api.com", "upstash.com", "upstash.io", "pinecone.io", "elastic-cloud.com",
		"es.io", "docker.com":
		return host, true
	}
	return "", false
}

// readOnlyPost reports whether a POST to path only reads: the search and
// query endpoints that take their request in a body (Elasticsearch and
// OpenSearch _search, _msearch, _count, _mget, _field_caps, Algolia's
// query, queries and browse) and git's git-upload-pack (a fetch).
func readOnlyPost(path string) bool {
	p := strings.ToLower(strings.TrimSuffix(path, "/"))
	last := p
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		last = p[i+1:]
	}
	switch last {
	case "_search", "_msearch", "_count", "_mget", "_field_caps", "_validate":
		return true
	case "git-upload-pack":
		// git's smart HTTP: a fetch or a clone asks for objects.
		return true
	case "query", "queries", "browse":
		return strings.Contains(p, "/indexes/")
	}
	return false
}
