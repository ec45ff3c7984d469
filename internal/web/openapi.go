package web

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/medsec/medsec"
)

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// openapi describes the API from the route table itself, so that the
// document cannot drift from the routes.
func (s *Server) openapi(w http.ResponseWriter, r *http.Request, c *Ctx) {
	paths := map[string]map[string]any{}
	for _, rt := range s.Routes() {
		if !rt.API {
			continue
		}
		op := map[string]any{
			"summary":      rt.Summary,
			"operationId":  strings.ToLower(rt.Method) + strings.ReplaceAll(pathParam.ReplaceAllString(strings.TrimPrefix(rt.Pattern, "/api/v1"), "by_$1"), "/", "_"),
			"x-permission": rt.Perm,
			"responses": map[string]any{
				"200": map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{}}},
				"401": map[string]any{"$ref": "#/components/responses/Error"},
				"403": map[string]any{"$ref": "#/components/responses/Error"},
			},
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Pattern, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]string{"type": "integer"}})
		}
		if rt.Pattern == "/api/v1/assets" {
			for _, p := range []struct{ name, typ, desc string }{
				{"q", "string", "Search: prefix of equipment ID, serial, hostname or IP; exact MAC; part of a model, manufacturer or modality name"},
				{"facility", "integer", "Facility id"}, {"modality", "integer", "Modality id"}, {"manufacturer", "integer", "Manufacturer id"},
				{"status", "string", "Asset status as in the CMMS"}, {"sort", "string", "asset_tag, serial, manufacturer, model, modality, facility, status, updated_at; prefix - for descending"},
				{"page", "integer", "1-based page"}, {"per_page", "integer", "1 to 500, default 50"},
			} {
				params = append(params, map[string]any{"name": p.name, "in": "query", "description": p.desc, "schema": map[string]string{"type": p.typ}})
			}
		}
		if params != nil {
			op["parameters"] = params
		}
		path := rt.Pattern
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(rt.Method)] = op
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"openapi":  "3.1.0",
		"info":     map[string]any{"title": "medsec API", "version": medsec.Version, "description": "Medical-device inventory and security for a hospital and its HTM service provider. Authenticate with `Authorization: Bearer <token>` (create one with `medsec token create NAME`)."},
		"paths":    paths,
		"security": []any{map[string]any{"bearer": []string{}}},
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
			"responses": map[string]any{"Error": map[string]any{"description": "An error", "content": map[string]any{"application/json": map[string]any{
				"schema": map[string]any{"type": "object", "properties": map[string]any{"error": map[string]any{"type": "object", "properties": map[string]any{"code": map[string]string{"type": "string"}, "message": map[string]string{"type": "string"}}}}},
			}}}},
		},
	})
}
