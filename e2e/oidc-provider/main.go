// A real OpenID provider for the console's end-to-end tests: zitadel/oidc's OP (an OpenID Certified
// library) with the login page and in-memory storage of its example server, configured from a JSON
// file instead of the example's hard-coded clients and users, and with a `groups` claim in the ID
// token, as Keycloak's group mapper or Dex put it there.
//
// Usage: oidc-provider -config provider.json   (see config below; the file holds the client secret
// and the users' passwords, so the caller keeps it private; nothing here logs them).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

type config struct {
	// Listen is the address to serve on, e.g. 127.0.0.1:5556.
	Listen string `json:"listen"`
	// Issuer is the provider's public address, e.g. http://127.0.0.1:5556 (no trailing slash).
	Issuer  string       `json:"issuer"`
	Clients []clientConf `json:"clients"`
	Users   []userConf   `json:"users"`
}

type clientConf struct {
	ID           string   `json:"id"`
	Secret       string   `json:"secret"`
	RedirectURIs []string `json:"redirectURIs"`
}

type userConf struct {
	ID        string   `json:"id"`
	Username  string   `json:"username"`
	Password  string   `json:"password"`
	FirstName string   `json:"firstName"`
	LastName  string   `json:"lastName"`
	Email     string   `json:"email"`
	Groups    []string `json:"groups"`
}

// users implements the example storage's UserStore over the configured users.
type users struct {
	byID map[string]*storage.User
}

func (u users) GetUserByID(id string) *storage.User { return u.byID[id] }

func (u users) GetUserByUsername(username string) *storage.User {
	for _, user := range u.byID {
		if user.Username == username {
			return user
		}
	}
	return nil
}

func (u users) ExampleClientID() string { return storage.ServiceUserID }

// provider is the example storage plus the users' groups claim, asserted in ID tokens and at the
// userinfo endpoint.
type provider struct {
	*storage.Storage
	groups map[string][]string
}

func (p *provider) addGroups(info *oidc.UserInfo, subject string) {
	if groups, ok := p.groups[subject]; ok {
		info.AppendClaims("groups", groups)
	}
}

func (p *provider) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := p.Storage.SetUserinfoFromRequest(ctx, info, req, scopes); err != nil {
		return err
	}
	p.addGroups(info, req.GetSubject())
	return nil
}

func (p *provider) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := p.Storage.SetUserinfoFromToken(ctx, info, tokenID, subject, origin); err != nil {
		return err
	}
	p.addGroups(info, info.Subject)
	return nil
}

// GetClientByClientID returns the configured client asserting the profile and email claims in the
// ID token as well (Keycloak's default), since relying parties such as next-auth read the ID token.
func (p *provider) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := p.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	return idTokenClaimsClient{c}, nil
}

type idTokenClaimsClient struct{ op.Client }

func (idTokenClaimsClient) IDTokenUserinfoClaimsAssertion() bool { return true }

func load(path string) (*config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c config
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if c.Listen == "" || c.Issuer == "" || len(c.Clients) == 0 || len(c.Users) == 0 {
		return nil, fmt.Errorf("%s: listen, issuer, clients and users are required", path)
	}
	return &c, nil
}

func main() {
	configPath := flag.String("config", "", "JSON file with listen, issuer, clients and users")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	cfg, err := load(*configPath)
	if err != nil {
		logger.Error("bad configuration", "error", err)
		os.Exit(2)
	}

	clients := map[string]*storage.Client{}
	for _, c := range cfg.Clients {
		clients[c.ID] = storage.WebClient(c.ID, c.Secret, c.RedirectURIs...)
	}
	store := users{byID: map[string]*storage.User{}}
	groups := map[string][]string{}
	for _, u := range cfg.Users {
		store.byID[u.ID] = &storage.User{
			ID: u.ID, Username: u.Username, Password: u.Password, FirstName: u.FirstName, LastName: u.LastName,
			Email: u.Email, EmailVerified: u.Email != "", PreferredLanguage: language.English,
		}
		groups[u.ID] = append([]string{}, u.Groups...)
	}
	p := &provider{Storage: storage.NewStorageWithClients(store, clients), groups: groups}

	router := exampleop.SetupServer(cfg.Issuer, p, logger, false)
	server := &http.Server{Addr: cfg.Listen, Handler: router}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
		<-stop
		_ = server.Shutdown(context.Background())
	}()
	logger.Info("OpenID provider listening", "issuer", cfg.Issuer, "listen", cfg.Listen, "clients", len(clients), "users", len(store.byID))
	if err := server.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		logger.Error("server stopped", "error", err)
		os.Exit(1)
	}
}
