package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.RequestOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MetalinkLookupTest {
  private static final String PATH = "/pub/iso/image.iso";
  private static final String TYPE = "; type=\"application/metalink4+xml\"";
  private static final RequestOptions TARGET =
      new RequestOptions().setHost("download.example.org").setPort(80).setSsl(false).setURI(PATH);

  @Test
  void aDescribedByLinkOnTheSameOriginIsFollowed() {
    assertThat(
            linked("<http://download.example.org/pub/iso/image.iso.meta4>; rel=describedby" + TYPE))
        .isEqualTo("/pub/iso/image.iso.meta4");
    assertThat(linked("<http://download.example.org:80/m/1.meta4?x=1>; rel=describedby" + TYPE))
        .isEqualTo("/m/1.meta4?x=1");
    assertThat(linked("</meta/image.meta4>;rel=\"describedby\";type=application/metalink4+xml"))
        .isEqualTo("/meta/image.meta4");
    assertThat(linked("<image.iso.meta4>; rel=\"describedby nofollow\"" + TYPE))
        .isEqualTo("/pub/iso/image.iso.meta4");
  }

  @Test
  void theMetalinkAmongMirrorBrainsOtherLinksIsFound() {
    // MirrorBrain sends its mirrors as rel=duplicate links, comma-separated or repeated.
    String mirrors =
        "<http://mirror1.example/iso/image.iso>; rel=duplicate; pri=1; geo=de, "
            + "<http://download.example.org/pub/iso/image.iso.meta4>; rel=describedby"
            + TYPE;
    assertThat(linked(mirrors)).isEqualTo("/pub/iso/image.iso.meta4");
    assertThat(
            MetalinkLookup.describedBy(
                List.of(
                    "<http://mirror1.example/iso/image.iso>; rel=duplicate",
                    "</pub/iso/image.iso.meta4>; rel=describedby" + TYPE),
                TARGET,
                PATH))
        .isEqualTo("/pub/iso/image.iso.meta4");
  }

  @Test
  void aLinkToAnotherOriginOrOfAnotherKindIsNotFollowed() {
    assertThat(linked("<http://evil.example/image.meta4>; rel=describedby" + TYPE)).isNull();
    assertThat(linked("<https://download.example.org/image.meta4>; rel=describedby" + TYPE))
        .as("another scheme is another origin")
        .isNull();
    assertThat(linked("<http://download.example.org:8080/image.meta4>; rel=describedby" + TYPE))
        .isNull();
    assertThat(linked("<//evil.example/image.meta4>; rel=describedby" + TYPE)).isNull();
    assertThat(linked("<http://user@download.example.org/x.meta4>; rel=describedby" + TYPE))
        .isNull();
    assertThat(linked("<ftp://download.example.org/x.meta4>; rel=describedby" + TYPE)).isNull();
    assertThat(linked("</x.meta4>; rel=duplicate" + TYPE)).isNull();
    assertThat(linked("</x.meta4>; rel=describedby")).as("no type").isNull();
    assertThat(linked("</x.metalink>; rel=describedby; type=\"application/metalink+xml\""))
        .as("Metalink 3")
        .isNull();
    assertThat(linked("not a link at all")).isNull();
  }

  private static String linked(String header) {
    return MetalinkLookup.describedBy(List.of(header), TARGET, PATH);
  }
}
