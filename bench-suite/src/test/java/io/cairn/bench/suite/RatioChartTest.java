package io.cairn.bench.suite;

import static io.cairn.bench.suite.TestResults.higher;
import static io.cairn.bench.suite.TestResults.lower;
import static io.cairn.bench.suite.TestResults.result;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class RatioChartTest {
    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void oneBarPerRatioInWellFormedSvg() throws Exception {
        Comparison c = Comparison.of(List.of(
                result("a<&>", higher("sequential write", 100), lower("random read p99", 10)),
                result("bindfs", higher("sequential write", 50), lower("random read p99", 20)),
                result("gluster", higher("sequential write", 5000), lower("random read p99", 2e6))), "bindfs");
        Document doc = parse(RatioChart.svg(c));
        Element root = doc.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        NodeList rects = doc.getElementsByTagName("rect");
        // background, two legend swatches, then 2 figures x 2 compared labels
        assertThat(rects.getLength()).isEqualTo(1 + 2 + 4);
        assertThat(doc.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("a<&>: 2.00x");
        String text = root.getTextContent();
        assertThat(text).contains("Times better than bindfs", "1x", "gluster", "100.0x", "<0.01x", "1/1024x");
    }

    @Test
    void missingRatiosAreMarkedNotDrawn() throws Exception {
        Comparison c = Comparison.of(List.of(result("a", higher("x y", 1)), result("b", higher("z w", 1))), "a");
        Document doc = parse(RatioChart.svg(c));
        assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(1 + 1);
        assertThat(doc.getDocumentElement().getTextContent()).contains("n/a");
    }
}
