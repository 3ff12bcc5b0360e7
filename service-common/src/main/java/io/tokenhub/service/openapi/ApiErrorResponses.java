package io.tokenhub.service.openapi;

import io.tokenhub.common.http.ErrorBody;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Documents what every {@code /api} operation of every service can answer besides its own results, so no service
 * has to repeat it and none forgets it: the one error body ({@link ErrorBody}) for 400, 401 (with
 * {@code WWW-Authenticate}), 403, 404, 406 and 415, and the dashboard bearer token as the security scheme. An
 * operation's own description of one of these statuses is kept; only its body is made the error body. The
 * {@code Error} schema it adds is also the one gateway-service's {@code /v1} document refers to. Registered in each
 * service with {@code mp.openapi.filter}.
 */
public class ApiErrorResponses implements OASFilter {

    /** The component name of the error body's schema. */
    public static final String ERROR_SCHEMA = "Error";
    /** How every {@code /api} operation documents {@code ?account=}; a constant so annotations can use it. */
    public static final String ACCOUNT_PARAM = "Administrators only: the account to act on. Members always act on the"
            + " account their token names and get 403 for naming another.";
    /** The security scheme every {@code /api} operation requires. */
    public static final String DASHBOARD_TOKEN = "DashboardToken";

    /** By status, in order, so the document is the same from one build to the next. */
    private static final Map<String, String> ALWAYS = new TreeMap<>(Map.of(
            "401", "No token, or one that is expired, wrongly signed or from another issuer (code invalid_token).",
            "403", "The token may not do this, e.g. name another account without the administrator role.",
            "406", "The Accept header rules out JSON (code not_acceptable)."));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        components.addSchema(ERROR_SCHEMA, errorSchema());
        components.addSecurityScheme(
                DASHBOARD_TOKEN,
                OASFactory.createSecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")
                        .description("An OpenID Connect access token from TokenHub's identity provider. It names the"
                                + " account (claim tokenhub_account); group tokenhub-admin may name any account with"
                                + " ?account=."));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/")) {
                item.getOperations().forEach((method, operation) -> document(path, method, operation));
            }
        });
    }

    private static void document(String path, PathItem.HttpMethod method, Operation operation) {
        operation.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(DASHBOARD_TOKEN)));
        APIResponses responses = operation.getResponses();
        ALWAYS.forEach((status, description) -> error(responses, status, description));
        responses.getAPIResponse("401").setHeaders(Map.of("WWW-Authenticate", bearerChallenge()));
        boolean takesInput = operation.getRequestBody() != null
                || (operation.getParameters() != null
                        && operation.getParameters().stream().anyMatch(p -> p.getIn() == Parameter.In.QUERY));
        if (takesInput) {
            error(responses, "400", "The request is malformed; param names the field at fault.");
        }
        if (operation.getRequestBody() != null) {
            error(responses, "415", "The body is not JSON (code unsupported_media_type).");
        }
        if (path.contains("{")) {
            error(responses, "404", "Nothing by that id in the account.");
        }
    }

    /** Adds {@code status} with the error body, keeping a description the operation gave it. */
    private static void error(APIResponses responses, String status, String description) {
        APIResponse response = responses.getAPIResponse(status);
        if (response == null) {
            response = OASFactory.createAPIResponse().description(description);
            responses.addAPIResponse(status, response);
        } else if (response.getRef() != null) {
            return;
        }
        if (response.getDescription() == null || response.getDescription().startsWith("Not ")) {
            // The framework's own "Not Authorized" and "Not Allowed" say less than ours.
            response.setDescription(description);
        }
        response.setContent(errorContent());
    }

    private static Content errorContent() {
        MediaType json =
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ERROR_SCHEMA));
        return OASFactory.createContent().addMediaType("application/json", json);
    }

    private static Header bearerChallenge() {
        return OASFactory.createHeader()
                .description("Bearer: the scheme to authenticate with.")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
    }

    /** In the body's own field order; a Map.of would print differently from one build to the next. */
    private static Map<String, String> example() {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("message", "Unknown field 'nmae'.");
        error.put("type", "invalid_request_error");
        error.put("param", "nmae");
        error.put("code", "unknown_field");
        return error;
    }

    private static Schema errorSchema() {
        Schema nullableString =
                OASFactory.createSchema().addType(Schema.SchemaType.STRING).addType(Schema.SchemaType.NULL);
        Schema error = OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .required(List.of("message", "type", "param", "code"))
                .additionalPropertiesBoolean(false)
                .addProperty(
                        "message",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.STRING)
                                .description("What went wrong, for people; never a stack trace or a key."))
                .addProperty(
                        "type",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.STRING)
                                .description("OpenAI's error type: invalid_request_error,"
                                        + " permission_error, server_error, or requests or tokens for a rate limit."))
                .addProperty("param", nullableString.description("The request field at fault, or null."))
                .addProperty(
                        "code",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.STRING)
                                .addType(Schema.SchemaType.NULL)
                                .description("Machine-readable reason, e.g. unknown_field, invalid_token, or null."));
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("The one error body of every TokenHub API, OpenAI's shape.")
                .required(List.of("error"))
                .additionalPropertiesBoolean(false)
                .addProperty("error", error)
                .addExample(Map.of("error", example()));
    }
}
