package io.eddyrtc.examples.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The client side of WHIP and WHEP: POST an offer, get the answer and the session's {@code Location}; DELETE it to
 * leave. Works against any server that speaks them.
 */
final class WhipClient {
    /** A session the server made: its absolute URL and its answer. */
    record Session(URI location, String answerSdp) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String token;

    /** {@code token}: the bearer token to send, or null. */
    WhipClient(String token) {
        this.token = token;
    }

    /** POSTs {@code offerSdp} to {@code endpoint}; anything but 201 with a {@code Location} is an {@link IOException}. */
    Session post(URI endpoint, String offerSdp) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offerSdp));
        authorize(request);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException(endpoint + " answered " + response.statusCode() + ": " + response.body().strip());
        }
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new IOException(endpoint + " answered 201 without a Location"));
        return new Session(endpoint.resolve(location), response.body());
    }

    /** DELETEs the session; the status code (200 when it ended). */
    int delete(URI location) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(location).timeout(Duration.ofSeconds(15)).DELETE();
        authorize(request);
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void authorize(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
    }
}
