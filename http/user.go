package http

import (
	"net/http"

	"github.com/arv-project/arv"
)

// Users: the API under /api/v1/users (no pages).

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.Services.FindUsers(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, map[string]any{"users": nonNil(users)})
}

func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request) error {
	var req arv.NewUser
	if err := decode(r, &req); err != nil {
		return err
	}
	u, err := s.Services.CreateUser(r.Context(), req)
	if err != nil {
		return err
	}
	return s.created(w, r, "", u)
}
