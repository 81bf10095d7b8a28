package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.eddyrtc.SelectedPair")
@Label("ICE Selected Pair")
@Category({"eddy", "ICE"})
@Description("ICE selected the candidate pair media and data go over")
final class SelectedPairEvent extends RtcEvent {
    @Label("Local Candidate")
    @Description("Type, transport and address of our candidate")
    String local;

    @Label("Remote Candidate")
    @Description("Type, transport and address of the peer's candidate")
    String remote;
}
