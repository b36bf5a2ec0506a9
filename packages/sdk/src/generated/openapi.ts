// Generated from Keymint's /openapi.json by scripts/openapi-types.ts: do not edit (npm run sdk:types).

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up (liveness) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Ready for traffic: the store answers and its migrations are current
         * @description 200 when ready, 503 otherwise. `redis` is reported but does not fail readiness: without it, limits count per node.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Is this key good, and what may it do?
         * @description Every outcome is HTTP 200 with a `code`. The caller is the root key, a verifier key or an Admin key of a project (a project key or a project's verifier key sees only its own project's keys: others answer `NOT_FOUND`). `MALFORMED` is decided without storage. The key's `meta` comes with every outcome where the key is known. A key with an `ip_allowlist` answers `IP_NOT_ALLOWED` unless `client_ip` is inside it; a key with credits takes `cost` of them (default 1) on an otherwise VALID verification, and answers `USAGE_EXCEEDED` when fewer remain.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        key: string;
                        required_scopes?: string[];
                        environment_id?: string;
                        /** @description Credits to take from a key with credits (default 1; 0 reads the count without spending) */
                        cost?: number;
                        /** @description The address your API saw the request come from: checked against the key's ip_allowlist (IP_NOT_ALLOWED outside it, or when missing) */
                        client_ip?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            valid: boolean;
                            /**
                             * @description `DISABLED`: the key's identity (service account) is disabled; the key is not revoked and works again once it is enabled. `USAGE_EXCEEDED`: the key's credits are spent (until its refill). `IP_NOT_ALLOWED`: `client_ip` is missing or not in the key's `ip_allowlist`
                             * @enum {unknown}
                             */
                            code: "VALID" | "MALFORMED" | "NOT_FOUND" | "EXPIRED" | "REVOKED" | "ROTATED" | "DISABLED" | "RATE_LIMITED" | "INSUFFICIENT_SCOPES" | "USAGE_EXCEEDED" | "IP_NOT_ALLOWED";
                            key_id: string | null;
                            project_id: string | null;
                            environment_id: string | null;
                            name: string | null;
                            role: string | null;
                            scopes: string[] | null;
                            expires_at: string | null;
                            grace_expires_at: string | null;
                            ratelimit: {
                                limit: number;
                                /** @description Verifications left in this window */
                                remaining: number;
                                /** Format: date-time */
                                reset_at: string;
                            } | null;
                            identity: {
                                id: string;
                                external_id: string | null;
                                meta: {
                                    [key: string]: unknown;
                                } | null;
                            } | null;
                            /** @description A JSON object of your own (plan, tenant, feature flags), at most 16 KiB as JSON; returned by GET, list and verify. null clears it. */
                            meta: {
                                [key: string]: unknown;
                            } | null;
                            credits: {
                                remaining: number;
                            } | null;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List projects (root only) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            /** @description Grafana organization id */
                            org_id: number;
                            /** @description Amazon Managed Grafana workspace id */
                            workspace_id: string;
                            /** Format: date-time */
                            created_at: string;
                        }[];
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a project (root only) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            /** @description Grafana organization id */
                            org_id: number;
                            /** @description Amazon Managed Grafana workspace id */
                            workspace_id: string;
                            /** Format: date-time */
                            created_at: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a project (root only) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            /** @description Grafana organization id */
                            org_id: number;
                            /** @description Amazon Managed Grafana workspace id */
                            workspace_id: string;
                            /** Format: date-time */
                            created_at: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a project; its keys stop verifying at once
         * @description Revokes every key of the project in the same transaction; the project and its keys then answer 404. Its audit events stay readable by the root key.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/environments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List environments (root only) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            project_id: string;
                            name: string;
                            key_prefix: string | null;
                            /** Format: date-time */
                            created_at: string;
                        }[];
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Create an environment (root only)
         * @description An environment may carry its own key prefix, such as `km_live` or `km_test`: its keys then start with it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        key_prefix?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            project_id: string;
                            name: string;
                            key_prefix: string | null;
                            /** Format: date-time */
                            created_at: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/environments/{envId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete an environment (root only)
         * @description Refused with 409 while live keys are bound to it: revoke them first.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    envId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the keys of a project, newest first
         * @description A bare array. Revoked and rotated-out keys are left out unless `include_revoked=true` or a `status` is asked for; expired keys stay, with `status: "expired"`. An `environment_id` that matches nothing gives `[]`. The next page is in `Link: <...>; rel="next"`. Another project answers 404. `search`, `status`, `role`, `expiring_within_days` and `unused_for_days` narrow the list (all must hold); `sort` and `order` change its order (pages then continue by position); `with_total=true` adds `X-Total-Count`, the number of keys in all pages.
         */
        get: {
            parameters: {
                query: {
                    project_id: string;
                    environment_id?: string;
                    include_revoked?: boolean;
                    /** @description Part of the name (any case), the start of the key prefix (`km_AbC`), a key id, or a whole key (found by its digest, never stored) */
                    search?: string;
                    /** @description Only keys in this state now */
                    status?: "active" | "grace" | "rotated" | "expired" | "revoked";
                    /** @description Grafana role: None < Viewer < Editor < Admin */
                    role?: "None" | "Viewer" | "Editor" | "Admin";
                    /** @description Only keys that expire within this many days (not those expired already) */
                    expiring_within_days?: number;
                    /** @description Only keys not verified in this many days (a key never verified counts from its creation) */
                    unused_for_days?: number;
                    /** @description Never-used keys sort as least recently used; keys without expiry as expiring last */
                    sort?: "created_at" | "name" | "last_used_at" | "expires_at";
                    order?: "asc" | "desc";
                    /** @description Add the `X-Total-Count` header */
                    with_total?: boolean;
                    limit?: number;
                    /** @description From the `Link: rel="next"` header of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            project_id: string;
                            name: string;
                            /** @description The prefix plus the first 8 random characters, for display */
                            key_prefix: string;
                            scopes: string[];
                            expires_at: string | null;
                            last_used_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            revoked_at: string | null;
                            replaced_by_key_id: string | null;
                            grace_expires_at: string | null;
                            environment_id: string | null;
                            rotation_interval_days: number | null;
                            next_rotation_at: string | null;
                            rotation_webhook_url: string | null;
                            /**
                             * @description Grafana role: None < Viewer < Editor < Admin
                             * @enum {unknown}
                             */
                            role: "None" | "Viewer" | "Editor" | "Admin";
                            /** @enum {unknown} */
                            status: "active" | "grace" | "rotated" | "expired" | "revoked";
                            ratelimit: {
                                /** @description Verifications allowed per window */
                                limit: number;
                                /** @description The window, in milliseconds (1 s to 1 day) */
                                duration_ms: number;
                            } | null;
                            /** @description A JSON object of your own (plan, tenant, feature flags), at most 16 KiB as JSON; returned by GET, list and verify. null clears it. */
                            meta: {
                                [key: string]: unknown;
                            } | null;
                            credits: {
                                /** @description Verifications left; each VALID verification takes `cost` (default 1) */
                                remaining: number;
                                refill: {
                                    /** @description remaining is set to this at each refill */
                                    amount: number;
                                    /**
                                     * @description daily: at 00:00 UTC; monthly: at 00:00 UTC of day_of_month
                                     * @enum {unknown}
                                     */
                                    interval: "daily" | "monthly";
                                    /** @description Monthly only, default 1; in shorter months, their last day */
                                    day_of_month?: number;
                                } | null;
                            } | null;
                            ip_allowlist: string[] | null;
                            identity_id: string | null;
                        }[];
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a key; its plaintext is in this response only */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        project_id: string;
                        name: string;
                        environment_id?: string | null;
                        expires_in_days?: number;
                        scopes?: string[];
                        /**
                         * @description Grafana role: None < Viewer < Editor < Admin
                         * @enum {unknown}
                         */
                        role?: "None" | "Viewer" | "Editor" | "Admin";
                        expires_at?: string | null;
                        rotation_interval_days?: number | null;
                        rotation_webhook_url?: string | null;
                        rotation_grace_minutes?: number | null;
                        ratelimit?: {
                            /** @description Verifications allowed per window */
                            limit: number;
                            /** @description The window, in milliseconds (1 s to 1 day) */
                            duration_ms: number;
                        } | null;
                        /** @description A JSON object of your own (plan, tenant, feature flags), at most 16 KiB as JSON; returned by GET, list and verify. null clears it. */
                        meta?: {
                            [key: string]: unknown;
                        } | null;
                        credits?: {
                            /** @description Verifications left; each VALID verification takes `cost` (default 1) */
                            remaining: number;
                            refill: {
                                /** @description remaining is set to this at each refill */
                                amount: number;
                                /**
                                 * @description daily: at 00:00 UTC; monthly: at 00:00 UTC of day_of_month
                                 * @enum {unknown}
                                 */
                                interval: "daily" | "monthly";
                                /** @description Monthly only, default 1; in shorter months, their last day */
                                day_of_month?: number;
                            } | null;
                        } | null;
                        ip_allowlist?: string[] | null;
                        identity_id?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            project_id: string;
                            name: string;
                            /** @description The prefix plus the first 8 random characters, for display */
                            key_prefix: string;
                            scopes: string[];
                            expires_at: string | null;
                            last_used_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            revoked_at: string | null;
                            replaced_by_key_id: string | null;
                            grace_expires_at: string | null;
                            environment_id: string | null;
                            rotation_interval_days: number | null;
                            next_rotation_at: string | null;
                            rotation_webhook_url: string | null;
                            /**
                             * @description Grafana role: None < Viewer < Editor < Admin
                             * @enum {unknown}
                             */
                            role: "None" | "Viewer" | "Editor" | "Admin";
                            /** @enum {unknown} */
                            status: "active" | "grace" | "rotated" | "expired" | "revoked";
                            ratelimit: {
                                /** @description Verifications allowed per window */
                                limit: number;
                                /** @description The window, in milliseconds (1 s to 1 day) */
                                duration_ms: number;
                            } | null;
                            /** @description A JSON object of your own (plan, tenant, feature flags), at most 16 KiB as JSON; returned by GET, list and verify. null clears it. */
                            meta: {
                                [key: string]: unknown;
                            } | null;
                            credits: {
                                /** @description Verifications left; each VALID verification takes `cost` (default 1) */
                                remaining: number;
                                refill: {
                                    /** @description remaining is set to this at each refill */
                                    amount: number;
                                    /**
                                     * @description daily: at 00:00 UTC; monthly: at 00:00 UTC of day_of_month
                                     * @enum {unknown}
                                     */
                                    interval: "daily" | "monthly";
                                    /** @description Monthly only, default 1; in shorter months, their last day */
                                    day_of_month?: number;
                                } | null;
                            } | null;
                            ip_allowlist: string[] | null;
                            identity_id: string | null;
                            /** @description The plaintext key: shown once, never again */
                            key: string;
                            /** @description Signing secret of the rotation webhook: shown once, when the key gets its first webhook URL */
                            rotation_webhook_secret?: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{keyID}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a key */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    keyID: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            project_id: string;
                            name: string;
                            /** @description The prefix plus the first 8 random characters, for display */
                            key_prefix: string;
                            scopes: string[];
                            expires_at: string | null;
                            last_used_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            revoked_at: string | null;
                            replaced_by_key_id: string | null;
                            grace_expires_at: string | null;
                            environment_id: string | null;
                            rotation_interval_days: number | null;
                            next_rotation_at: string | null;
                            rotation_webhook_url: string | null;
                            /**
                             * @description Grafana role: None < Viewer < Editor < Admin
                             * @enum {unknown}
                             */
                            role: "None" | "Viewer" | "Editor" | "Admin";
                            /** @enum {unknown} */
                            status: "active" | "grace" | "rotated" | "expired" | "revoked";
                            ratelimit: {
                                /** @description Verifications allowed per window */
                                limit: number;
                                /** @description The window, in milliseconds (1 s to 1 day) */
                                duration_ms: number;
                            } | null;
                            /** @description A JSON object of your own (plan, tenant, feature flags), at most 16 KiB as JSON; returned by GET, list and verify. null clears it. */
                            meta: {
                                [key: string]: unknown;
                            } | null;
                            credits: {
                                /** @description Verifications left; each VALID verification takes `cost` (default 1) */
                                remaining: number;
                                refill: {
                                    /** @description remaining is set to this at each refill */
                                    amount: number;
                                    /**
                                     * @description daily: at 00:00 UTC; monthly: at 00:00 UTC of day_of_month
                                     * @enum {unknown}
                                     */
                                    interval: "daily" | "monthly";
                                    /** @description Monthly only, default 1; in shorter months, their last day */
                                    day_of_month?: number;
                                } | null;
                            } | null;
                            ip_allowlist: string[] | null;
                            identity_id: string | null;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Revoke a key at once (again: still 204) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    keyID: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a key
         * @description Changes `name`, `scopes`, `role`, `expires_at` (null: never), `rotation_interval_days`, `rotation_webhook_url` and `rotation_grace_minutes` (null clears the policy), `ratelimit` (null: no limit), `meta` (null clears it), `credits` (sets the count and refill anew; null: unlimited) and `ip_allowlist` (null: any address). Giving a key its first `rotation_webhook_url` answers its `rotation_webhook_secret`, once. A revoked key, or one replaced by a rotation, is 409: change its successor. An empty patch changes nothing.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    keyID: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        scopes?: string[];
                        /**
                         * @description Grafana role: None < Viewer < Editor < Admin
                         * @enum {unknown}
                         */
                        role?: "None" | "Viewer" | "Editor" | "Admin";
                        expires_at?: string | null;
                        rotation_interval_days?: number | null;
                        rotation_webhook_url?: string | null;
                        rotation_grace_minutes?: number | null;
                        ratelimit?: {
                            /** @description Verifications allowed per window */
                            limit: number;
                            /** @description The window, in milliseconds (1 s to 1 day) */
                            duration_ms: number;
                        } | null;
                        /** @description A JSON object of your own (plan, tenant, feature flags), at most 16 KiB as JSON; returned by GET, list and verify. null clears it. */
                        meta?: {
                            [key: string]: unknown;
                        } | null;
                        credits?: {
                            /** @description Verifications left; each VALID verification takes `cost` (default 1) */
                            remaining: number;
                            refill: {
                                /** @description remaining is set to this at each refill */
                                amount: number;
                                /**
                                 * @description daily: at 00:00 UTC; monthly: at 00:00 UTC of day_of_month
                                 * @enum {unknown}
                                 */
                                interval: "daily" | "monthly";
                                /** @description Monthly only, default 1; in shorter months, their last day */
                                day_of_month?: number;
                            } | null;
                        } | null;
                        ip_allowlist?: string[] | null;
                        identity_id?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            project_id: string;
                            name: string;
                            /** @description The prefix plus the first 8 random characters, for display */
                            key_prefix: string;
                            scopes: string[];
                            expires_at: string | null;
                            last_used_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            revoked_at: string | null;
                            replaced_by_key_id: string | null;
                            grace_expires_at: string | null;
                            environment_id: string | null;
                            rotation_interval_days: number | null;
                            next_rotation_at: string | null;
                            rotation_webhook_url: string | null;
                            /**
                             * @description Grafana role: None < Viewer < Editor < Admin
                             * @enum {unknown}
                             */
                            role: "None" | "Viewer" | "Editor" | "Admin";
                            /** @enum {unknown} */
                            status: "active" | "grace" | "rotated" | "expired" | "revoked";
                            ratelimit: {
                                /** @description Verifications allowed per window */
                                limit: number;
                                /** @description The window, in milliseconds (1 s to 1 day) */
                                duration_ms: number;
                            } | null;
                            /** @description A JSON object of your own (plan, tenant, feature flags), at most 16 KiB as JSON; returned by GET, list and verify. null clears it. */
                            meta: {
                                [key: string]: unknown;
                            } | null;
                            credits: {
                                /** @description Verifications left; each VALID verification takes `cost` (default 1) */
                                remaining: number;
                                refill: {
                                    /** @description remaining is set to this at each refill */
                                    amount: number;
                                    /**
                                     * @description daily: at 00:00 UTC; monthly: at 00:00 UTC of day_of_month
                                     * @enum {unknown}
                                     */
                                    interval: "daily" | "monthly";
                                    /** @description Monthly only, default 1; in shorter months, their last day */
                                    day_of_month?: number;
                                } | null;
                            } | null;
                            ip_allowlist: string[] | null;
                            identity_id: string | null;
                            /** @description Signing secret of the rotation webhook: shown once, when the key gets its first webhook URL */
                            rotation_webhook_secret?: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/api-keys/{keyID}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a key: a successor now, the old key valid for a grace period
         * @description `grace_period_minutes` 0..10080, default 60 (also with no body at all); 0 retires the old key at once. Only an active key rotates: a revoked, expired or already-replaced key is 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    keyID: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        grace_period_minutes?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            old_key_id: string;
                            new_key_id: string;
                            project_id: string;
                            name: string;
                            /** @description The new plaintext key: shown once */
                            key: string;
                            key_prefix: string;
                            scopes: string[];
                            expires_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            grace_expires_at: string | null;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/identities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the identities of a project, newest first
         * @description `external_id` finds the one with that id (or none). The next page is in `Link: <...>; rel="next"`.
         */
        get: {
            parameters: {
                query: {
                    project_id: string;
                    external_id?: string;
                    limit?: number;
                    /** @description From the `Link: rel="next"` header of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            project_id: string;
                            name: string;
                            external_id: string | null;
                            /**
                             * @description Grafana role: None < Viewer < Editor < Admin
                             * @enum {unknown}
                             */
                            role: "None" | "Viewer" | "Editor" | "Admin";
                            /** @description While true, every key of the identity verifies `DISABLED` (and is refused as a credential), without being revoked */
                            is_disabled: boolean;
                            meta: {
                                [key: string]: unknown;
                            } | null;
                            ratelimit: {
                                /** @description Verifications allowed per window */
                                limit: number;
                                /** @description The window, in milliseconds (1 s to 1 day) */
                                duration_ms: number;
                            } | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        }[];
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Create an identity: an owner of keys that outlives any one key
         * @description Its keys act with its `role`, stop (`DISABLED`) while `is_disabled` is true, share its `ratelimit` across every node, and are revoked when it is deleted. `external_id` is your own id for it, unique in the project. `meta` is answered by verify.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        project_id: string;
                        name: string;
                        external_id?: string | null;
                        /**
                         * @description Grafana role: None < Viewer < Editor < Admin
                         * @enum {unknown}
                         */
                        role?: "None" | "Viewer" | "Editor" | "Admin";
                        is_disabled?: boolean;
                        meta?: {
                            [key: string]: unknown;
                        } | null;
                        ratelimit?: {
                            /** @description Verifications allowed per window */
                            limit: number;
                            /** @description The window, in milliseconds (1 s to 1 day) */
                            duration_ms: number;
                        } | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            project_id: string;
                            name: string;
                            external_id: string | null;
                            /**
                             * @description Grafana role: None < Viewer < Editor < Admin
                             * @enum {unknown}
                             */
                            role: "None" | "Viewer" | "Editor" | "Admin";
                            /** @description While true, every key of the identity verifies `DISABLED` (and is refused as a credential), without being revoked */
                            is_disabled: boolean;
                            meta: {
                                [key: string]: unknown;
                            } | null;
                            ratelimit: {
                                /** @description Verifications allowed per window */
                                limit: number;
                                /** @description The window, in milliseconds (1 s to 1 day) */
                                duration_ms: number;
                            } | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/identities/{identityID}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an identity */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    identityID: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            project_id: string;
                            name: string;
                            external_id: string | null;
                            /**
                             * @description Grafana role: None < Viewer < Editor < Admin
                             * @enum {unknown}
                             */
                            role: "None" | "Viewer" | "Editor" | "Admin";
                            /** @description While true, every key of the identity verifies `DISABLED` (and is refused as a credential), without being revoked */
                            is_disabled: boolean;
                            meta: {
                                [key: string]: unknown;
                            } | null;
                            ratelimit: {
                                /** @description Verifications allowed per window */
                                limit: number;
                                /** @description The window, in milliseconds (1 s to 1 day) */
                                duration_ms: number;
                            } | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an identity and revoke its keys */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    identityID: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change an identity
         * @description Changes `name`, `external_id`, `role` (its keys take it at once), `is_disabled` (its keys stop or work again on every node within a second), `meta` and `ratelimit` (null clears them). An empty patch changes nothing.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    identityID: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        external_id?: string | null;
                        /**
                         * @description Grafana role: None < Viewer < Editor < Admin
                         * @enum {unknown}
                         */
                        role?: "None" | "Viewer" | "Editor" | "Admin";
                        is_disabled?: boolean;
                        meta?: {
                            [key: string]: unknown;
                        } | null;
                        ratelimit?: {
                            /** @description Verifications allowed per window */
                            limit: number;
                            /** @description The window, in milliseconds (1 s to 1 day) */
                            duration_ms: number;
                        } | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            project_id: string;
                            name: string;
                            external_id: string | null;
                            /**
                             * @description Grafana role: None < Viewer < Editor < Admin
                             * @enum {unknown}
                             */
                            role: "None" | "Viewer" | "Editor" | "Admin";
                            /** @description While true, every key of the identity verifies `DISABLED` (and is refused as a credential), without being revoked */
                            is_disabled: boolean;
                            meta: {
                                [key: string]: unknown;
                            } | null;
                            ratelimit: {
                                /** @description Verifications allowed per window */
                                limit: number;
                                /** @description The window, in milliseconds (1 s to 1 day) */
                                duration_ms: number;
                            } | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/keys/self": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling key's own object */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            project_id: string;
                            name: string;
                            /** @description The prefix plus the first 8 random characters, for display */
                            key_prefix: string;
                            scopes: string[];
                            expires_at: string | null;
                            last_used_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            revoked_at: string | null;
                            replaced_by_key_id: string | null;
                            grace_expires_at: string | null;
                            environment_id: string | null;
                            rotation_interval_days: number | null;
                            next_rotation_at: string | null;
                            rotation_webhook_url: string | null;
                            /**
                             * @description Grafana role: None < Viewer < Editor < Admin
                             * @enum {unknown}
                             */
                            role: "None" | "Viewer" | "Editor" | "Admin";
                            /** @enum {unknown} */
                            status: "active" | "grace" | "rotated" | "expired" | "revoked";
                            ratelimit: {
                                /** @description Verifications allowed per window */
                                limit: number;
                                /** @description The window, in milliseconds (1 s to 1 day) */
                                duration_ms: number;
                            } | null;
                            /** @description A JSON object of your own (plan, tenant, feature flags), at most 16 KiB as JSON; returned by GET, list and verify. null clears it. */
                            meta: {
                                [key: string]: unknown;
                            } | null;
                            credits: {
                                /** @description Verifications left; each VALID verification takes `cost` (default 1) */
                                remaining: number;
                                refill: {
                                    /** @description remaining is set to this at each refill */
                                    amount: number;
                                    /**
                                     * @description daily: at 00:00 UTC; monthly: at 00:00 UTC of day_of_month
                                     * @enum {unknown}
                                     */
                                    interval: "daily" | "monthly";
                                    /** @description Monthly only, default 1; in shorter months, their last day */
                                    day_of_month?: number;
                                } | null;
                            } | null;
                            ip_allowlist: string[] | null;
                            identity_id: string | null;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who did what to which key or project, newest first
         * @description The root key may leave out `project_id` to see every project; an Admin key sees its own project. `actor_id`, `action`, `target_id` (a key id: that key's history), `from` (inclusive) and `to` (exclusive) narrow the list; all must hold.
         */
        get: {
            parameters: {
                query?: {
                    project_id?: string;
                    actor_id?: string;
                    /** @description A dotted action, e.g. `api_key.rotated` */
                    action?: string;
                    target_id?: string;
                    from?: string;
                    to?: string;
                    limit?: number;
                    /** @description From the `Link: rel="next"` header of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** Format: date-time */
                            at: string;
                            actor: {
                                type: string;
                                id: string;
                            };
                            action: string;
                            target: {
                                type: string;
                                id: string;
                            };
                            project_id: string | null;
                            ip: string | null;
                        }[];
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{keyID}/webhook-deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Rotation webhook attempts for a key, newest first
         * @description Every attempt to deliver `api_key.rotated` for rotations of this key (or that made it): when, the HTTP status code, and the outcome. `retrying` attempts name their `next_attempt_at`; `abandoned` means a 410 or the last attempt failed (a scheduled rotation was then undone); `cancelled` means the key was revoked, rotated by hand or lost its webhook first. The next page is in `Link: <...>; rel="next"`.
         */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    /** @description From the `Link: rel="next"` header of the previous page */
                    cursor?: string;
                };
                header?: never;
                path: {
                    keyID: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The `webhook-id` header: the same on every attempt of one message */
                            webhook_id: string;
                            event_type: string;
                            /**
                             * @description `scheduled`: the rotation commits only on a 2xx; `manual`: notice of a rotation already made
                             * @enum {unknown}
                             */
                            trigger: "scheduled" | "manual";
                            attempt: number;
                            /** Format: date-time */
                            attempted_at: string;
                            status_code: number | null;
                            /** @enum {unknown} */
                            outcome: "delivered" | "retrying" | "abandoned" | "cancelled";
                            error: string | null;
                            duration_ms: number;
                            next_attempt_at: string | null;
                            old_key_id: string;
                            new_key_id: string;
                        }[];
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/aws-credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the project's AWS access key pairs, oldest first, without secrets (root only) */
        get: {
            parameters: {
                query?: {
                    include_revoked?: boolean;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_key_id: string;
                            project_id: string;
                            /** @description The one workspace this pair may use */
                            workspace_id: string;
                            description: string | null;
                            /** Format: date-time */
                            created_at: string;
                            revoked_at: string | null;
                        }[];
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Issue an AWS access key pair for the project (root only); the secret is in this response only
         * @description The pair signs (SigV4) requests to the Amazon Managed Grafana-compatible API, on this project's workspace only.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_key_id: string;
                            project_id: string;
                            /** @description The one workspace this pair may use */
                            workspace_id: string;
                            description: string | null;
                            /** Format: date-time */
                            created_at: string;
                            revoked_at: string | null;
                            /** @description The secret: shown once, never again */
                            secret_access_key: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/aws-credentials/{accessKeyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an AWS access key pair at once (again: still 204; root only) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    accessKeyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{keyID}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verifications of a key per minute, hour or day, by outcome
         * @description Buckets are UTC and start at `from` rounded down to the granularity; `to` is exclusive. Defaults: `granularity=hour`, `to` now, `from` 60 minutes, 24 hours or 30 days before `to`. At most 1440 buckets. Counts reach the store every few seconds from every node.
         */
        get: {
            parameters: {
                query?: {
                    granularity?: "minute" | "hour" | "day";
                    from?: string;
                    to?: string;
                };
                header?: never;
                path: {
                    keyID: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            key_id: string;
                            /** @enum {unknown} */
                            granularity: "minute" | "hour" | "day";
                            /** Format: date-time */
                            from: string;
                            /** Format: date-time */
                            to: string;
                            buckets: {
                                /** Format: date-time */
                                start: string;
                                total: number;
                                counts: {
                                    VALID: number;
                                    MALFORMED: number;
                                    NOT_FOUND: number;
                                    EXPIRED: number;
                                    REVOKED: number;
                                    ROTATED: number;
                                    DISABLED: number;
                                    RATE_LIMITED: number;
                                    INSUFFICIENT_SCOPES: number;
                                    USAGE_EXCEEDED: number;
                                    IP_NOT_ALLOWED: number;
                                };
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report verifications made elsewhere (a local verifier), in a batch
         * @description Counts verifications a local verifier answered in its own process, so usage reports and `last_used_at` include them. At most 1000 entries, each a count of one outcome of one key at an instant (counted in that instant's minute). Every key must belong to `project_id`; the caller is the root key, the project's Admin key or a verifier key of the project (or of every project). Answers 202 once counted (they reach the store with this node's next usage write, within seconds).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        project_id: string;
                        entries: {
                            key_id: string;
                            /** Format: date-time */
                            at: string;
                            /** @enum {unknown} */
                            outcome: "VALID" | "MALFORMED" | "NOT_FOUND" | "EXPIRED" | "REVOKED" | "ROTATED" | "DISABLED" | "RATE_LIMITED" | "INSUFFICIENT_SCOPES" | "USAGE_EXCEEDED" | "IP_NOT_ALLOWED";
                            count: number;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accepted: number;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream a project's key digests and states (server-sent events), for local verification
         * @description Server-sent events (`text/event-stream`) for a local verifier's replica of the project's keys: digests and states, never plaintext. Allowed to the root key, the project's Admin keys and a verifier key of the project (or of every project), so a service can run a local verifier on a verify-only credential.
         *
         *     Events, in order:
         *     - `reset` (data `{}`): forget every key held; a snapshot follows.
         *     - `keys` (data: an array of up to 5000 snapshot rows): part of a snapshot, or the whole project again after the project changed.
         *     - `ready` (with an `id`): the snapshot (or the replay of a resumed stream) is complete; the replica is current.
         *     - `key` (with an `id`, data: one key state): a key was created, changed, revoked or rotated.
         *     - `heartbeat` (every 2 s, data `{"at"}`): the stream is alive.
         *
         *     A key state (a `key` event) is `{"digest","id","environment_id","name","role","scopes","expires_at","revoked_at","replaced_by_key_id","grace_expires_at","http_only"}`; `digest` is the lowercase hex SHA-256 of the whole key. A snapshot row (in `keys`) is the same key, positional and compact for projects of millions of keys: `[digest, id, environment_id, name, role, scopes, expires_at, grace_expires_at, flags]`, where `scopes` is a JSON array as text, the instants are milliseconds since the epoch (or null), and `flags` adds 1 (revoked), 2 (replaced by a rotation) and 4 (`http_only`). `http_only` keys must be verified with POST /v1/keys/verify: keys with a rate limit or credits (every verification is counted or spent by the server), an IP allowlist (only the server sees the caller's address) or meta (not streamed), and keys of an identity (the stream does not carry the identity's state, so only the server answers `DISABLED` and the `identity`). A key verified from a replica has `meta`, `credits` and `identity` null.
         *
         *     Resume after a disconnect with `Last-Event-ID` set to the highest event id received: the changes since are replayed (a change may come twice; each carries the key's whole state). When that id is too old (changes are kept an hour), the stream starts again with `reset`.
         */
        get: {
            parameters: {
                query: {
                    project_id: string;
                };
                header?: {
                    /** @description The highest event id received before a disconnect */
                    "last-event-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An endless event stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import keys from another system by their SHA-256 digests (root or the project's Admin key)
         * @description Up to 1000 keys per request, all or nothing. Idempotent: a digest already in the project answers `existing` with its id, so a failed import can simply be sent again; a digest of another project is 409. An imported key verifies like a minted one (POST /v1/keys/verify with the plaintext its holder has), even without Keymint's prefix and checksum. Each created key writes an `api_key.imported` audit event.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        project_id: string;
                        environment_id?: string | null;
                        keys: {
                            /** @description Hex SHA-256 of the whole key as its holders send it */
                            digest: string;
                            name: string;
                            scopes?: string[];
                            /**
                             * @description Grafana role: None < Viewer < Editor < Admin
                             * @enum {unknown}
                             */
                            role?: "None" | "Viewer" | "Editor" | "Admin";
                            expires_at?: string | null;
                            /** @description Shown in listings in place of a minted key's first characters (default `imported`) */
                            key_prefix?: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created: number;
                            existing: number;
                            keys: {
                                digest: string;
                                id: string;
                                /** @enum {unknown} */
                                status: "created" | "existing";
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in to the dashboard: exchange a root key or an Admin key for a session cookie
         * @description Answers `Set-Cookie` with an HttpOnly, SameSite=Strict session cookie (Secure, named `__Host-keymint_session`, when served over https) and the session's `csrf_token`. The cookie then authenticates v1 requests from the same origin; every request that changes something must also send `x-csrf-token`. The session ends after `idle_minutes` without a request, 12 hours after sign-in, at sign-out, or when the key stops being valid. Failed sign-ins count towards the lockout of the address (429). A request from another site is 403.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The root key or an Admin key of a project */
                        key: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Send it as the `x-csrf-token` header with every request that changes something */
                            csrf_token: string;
                            /** Format: date-time */
                            expires_at: string;
                            /** @description The session ends after this many minutes without a request (KEYMINT_SESSION_IDLE_MINUTES) */
                            idle_minutes: number;
                            principal: {
                                /** @enum {unknown} */
                                type: "root_key" | "api_key";
                                id: string;
                                project_id: string | null;
                                /**
                                 * @description Grafana role: None < Viewer < Editor < Admin
                                 * @enum {unknown}
                                 */
                                role: "None" | "Viewer" | "Editor" | "Admin";
                            };
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in dashboard session: who, until when, and its CSRF token */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Send it as the `x-csrf-token` header with every request that changes something */
                            csrf_token: string;
                            /** Format: date-time */
                            expires_at: string;
                            /** @description The session ends after this many minutes without a request (KEYMINT_SESSION_IDLE_MINUTES) */
                            idle_minutes: number;
                            principal: {
                                /** @enum {unknown} */
                                type: "root_key" | "api_key";
                                id: string;
                                project_id: string | null;
                                /**
                                 * @description Grafana role: None < Viewer < Editor < Admin
                                 * @enum {unknown}
                                 */
                                role: "None" | "Viewer" | "Editor" | "Admin";
                            };
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Sign out: the session ends on every node and its cookie is cleared */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/verifier-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List verifier keys, newest first (root only) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            project_id: string | null;
                            /** @description km_verify plus the first 8 random characters, for display */
                            key_prefix: string;
                            /** Format: date-time */
                            created_at: string;
                        }[];
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a verifier key (root only); its plaintext is in this response only
         * @description A verifier key may call `POST /v1/keys/verify`, and for its project `GET /v1/keys/stream` and `POST /v1/keys/usage` (what a local verifier needs), and nothing else (403 on every other route of every surface). With a `project_id` it verifies that project's keys only (any other key answers `NOT_FOUND`); `project_id: null` verifies every project's keys. `project_id` must be sent, as an id or null.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        project_id: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            project_id: string | null;
                            /** @description km_verify plus the first 8 random characters, for display */
                            key_prefix: string;
                            /** Format: date-time */
                            created_at: string;
                            /** @description The plaintext verifier key: shown once, never again */
                            key: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/verifier-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a verifier key (root only): it stops working at once, on every node */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description https://keymint.dev/problems/<code with dashes>: one URI per kind of error */
                            type: string;
                            title: string;
                            status: number;
                            /** @description A stable machine code for the kind of error (see the README's error table) */
                            code: string;
                            detail: string;
                            /** @description The id of this request in the server log; also in the X-Request-Id header */
                            request_id: string;
                            errors?: {
                                location: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API keys (Grafana)
         * @description Sorted by name, at most 100. `includeExpired=true` adds expired keys. `Authorization: Bearer <key>` or `Basic api_key:<key>`.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /**
         * Create an API key (Grafana)
         * @description Body `{"name", "role", "secondsToLive"?}`; answers `{"id", "name", "key"}`. Gone (410) with KEYMINT_GRAFANA_COMPAT=11.3.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete (revoke) an API key by its numeric id (Grafana) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/serviceaccounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a service account (Grafana)
         * @description Body `{"name", "role"?, "isDisabled"?}` (role defaults to Viewer); answers 201 with the service account.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/serviceaccounts/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search service accounts with paging (Grafana)
         * @description `perpage` (default and cap 1000), `page` (from 1), `query` (part of the name, any case), `disabled=true` (only disabled ones).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/serviceaccounts/migrate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Migrate every API key of the organization to a service account (Grafana)
         * @description Each key becomes the token of a new service account `sa-autogen-<key name>` with its role, and keeps working unchanged. A key that cannot be migrated stays an API key and is listed in `failedApikeyIDs`/`failedDetails`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/serviceaccounts/migrate/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Migrate one API key to a service account (Grafana) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    keyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/serviceaccounts/migrationstatus": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Are all API keys of the organization migrated? (Grafana) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/serviceaccounts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a service account (Grafana) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a service account and revoke its tokens (Grafana) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Update a service account (Grafana)
         * @description Body `{"name"?, "role"?, "isDisabled"?}`. Disabling stops its tokens on every node at once; enabling restores them.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        trace?: never;
    };
    "/api/serviceaccounts/{id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tokens of a service account (Grafana) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /**
         * Add a token to a service account (Grafana)
         * @description Body `{"name", "secondsToLive"?}`; answers `{"id", "name", "key"}`, the key shown once. The token acts with the service account's role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/serviceaccounts/{id}/tokens/{tokenId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete (revoke) a token of a service account (Grafana) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    tokenId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
